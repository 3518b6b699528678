"""Rules of the live meeting: steps, timers, rounds, conflicts, wishes, locking, audit."""

import datetime

import pytest
from django.utils import timezone

from samtal.a3 import live
from samtal.a3.live_models import A3Change, EditConflict, StepTimer
from samtal.a3.models import Entry, Wish
from samtal.conversation_templates.models import Step
from samtal.meetings.models import Meeting
from samtal.participants.models import Participation, Preparation, PreparationAnswer
from tests.factories import add_participant, make_meeting, staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def running():
    meeting, facilitator, note_taker = staffed_meeting()
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    return meeting, facilitator, note_taker


def step_of(meeting, kind):
    return meeting.template_version.steps.filter(record_kind=kind).first()


def test_a_meeting_without_a_note_taker_cannot_start():
    meeting = make_meeting()
    add_participant(meeting, "Karin", Participation.Role.FACILITATOR)
    with pytest.raises(live.LiveError, match="antecknare"):
        live.start_live(meeting, None)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_starting_opens_the_first_step_and_bumps_the_version(running):
    meeting, _, _ = running
    assert meeting.status == Meeting.Status.RUNNING
    assert meeting.live.current_step.order == 1
    assert meeting.version >= 1


def test_every_change_increments_the_meeting_version(running):
    meeting, facilitator, _ = running
    before = meeting.version
    live.add_entry(meeting, facilitator, None, "En övrig anteckning")
    meeting.refresh_from_db()
    assert meeting.version == before + 1


def test_a_running_timer_has_a_planned_end_from_the_steps_minutes():
    step = Step(minutes=5)
    timer = StepTimer(step=step)
    now = timezone.now()
    timer.start(now)
    assert timer.planned_end == now + datetime.timedelta(minutes=5)
    timer.pause(now + datetime.timedelta(minutes=2))
    assert timer.planned_end is None
    assert timer.remaining(now + datetime.timedelta(hours=1)) == 180
    timer.add_minutes(5)
    timer.start(now + datetime.timedelta(minutes=10))
    assert timer.planned_end == now + datetime.timedelta(minutes=10 + 3 + 5)


def test_time_over_is_negative_remaining():
    timer = StepTimer(step=Step(minutes=1))
    now = timezone.now()
    timer.start(now)
    assert timer.remaining(now + datetime.timedelta(seconds=90)) == -30


def test_moving_to_the_next_step_carries_the_running_clock_along(running):
    meeting, facilitator, _ = running
    live.toggle_timer(meeting, facilitator)
    session = live.move_step(meeting, facilitator, "next")
    first = meeting.template_version.steps.get(order=1)
    assert session.current_step.order == 2
    assert not StepTimer.objects.get(session=session, step=first).is_running
    assert StepTimer.objects.get(session=session, step=session.current_step).is_running


def test_undo_restores_the_step_and_the_timers_as_they_were(running):
    meeting, facilitator, _ = running
    live.toggle_timer(meeting, facilitator)
    first = meeting.template_version.steps.get(order=1)
    before = StepTimer.objects.get(step=first).snapshot()
    live.move_step(meeting, facilitator, "next")
    session = live.undo_step(meeting, facilitator)
    assert session.current_step == first
    restored = StepTimer.objects.get(step=first)
    assert restored.is_running
    assert restored.snapshot() == before
    assert not StepTimer.objects.filter(step__order=2).exists()


def test_there_is_no_step_before_the_first(running):
    meeting, facilitator, _ = running
    with pytest.raises(live.LiveError, match="första steget"):
        live.move_step(meeting, facilitator, "prev")


def test_the_round_goes_through_present_speakers_only(running):
    meeting, facilitator, _ = running
    people = {p.person.name: p for p in meeting.participations.select_related("person")}
    observer = add_participant(meeting, "Olle Observatör", Participation.Role.OBSERVER)
    for name in ("Maria Ek", "Olof Berg"):
        live.set_present(meeting, facilitator, people[name], True)
    live.set_present(meeting, facilitator, observer, True)
    order = live.round_order(meeting)
    assert [p.person.name for p in order] == ["Maria Ek", "Olof Berg"]


def test_the_samtalsledare_and_antecknare_are_not_asked_in_the_round(running):
    meeting, facilitator, _ = running
    for participation in meeting.participations.all():
        live.set_present(meeting, facilitator, participation, True)
    roles = {p.role for p in live.round_order(meeting)}
    assert roles == {Participation.Role.PARTICIPANT}


def test_next_speaker_moves_on_and_refuses_past_the_last(running):
    meeting, facilitator, _ = running
    maria = meeting.participations.get(person__name="Maria Ek")
    live.set_present(meeting, facilitator, maria, True)
    live.move_step(meeting, facilitator, "next")  # 2A is a round
    assert meeting.live.__class__.objects.get(meeting=meeting).speaker == maria
    with pytest.raises(live.LiveError, match="Alla har fått ordet"):
        live.move_speaker(meeting, facilitator, 1)


def test_a_prepared_answer_is_taken_in_with_its_reason_and_author(running):
    meeting, facilitator, _ = running
    step = step_of(meeting, Step.RecordKind.CLAIMS)
    maria = meeting.participations.get(person__name="Maria Ek")
    answer = PreparationAnswer.objects.create(
        preparation=Preparation.objects.create(participation=maria),
        step=step,
        text="Nöjdare brukare",
        reason="Enkäten visar det",
    )
    entry = live.take_prepared(meeting, facilitator, answer)
    assert (entry.text, entry.reason, entry.participation, entry.step) == (
        "Nöjdare brukare",
        "Enkäten visar det",
        maria,
        step,
    )


def test_an_edit_based_on_an_old_revision_keeps_both_texts(running):
    meeting, facilitator, note_taker = running
    entry = live.add_entry(meeting, note_taker, None, "Originalet")
    live.edit_entry(meeting, note_taker, entry, "Antecknarens version", revision=1)
    with pytest.raises(live.StaleEdit):
        live.edit_entry(meeting, facilitator, entry, "Samtalsledarens version", revision=1)
    entry.refresh_from_db()
    conflict = EditConflict.objects.get()
    assert entry.text == "Antecknarens version"
    assert (conflict.stored_text, conflict.other_text) == (
        "Antecknarens version",
        "Samtalsledarens version",
    )


def test_resolving_a_conflict_with_both_keeps_both_as_entries(running):
    meeting, facilitator, note_taker = running
    entry = live.add_entry(meeting, note_taker, None, "Första")
    live.edit_entry(meeting, note_taker, entry, "Andra", revision=1)
    with pytest.raises(live.StaleEdit) as stale:
        live.edit_entry(meeting, facilitator, entry, "Tredje", revision=1)
    live.resolve_conflict(meeting, facilitator, stale.value.conflict, "both")
    assert sorted(Entry.objects.values_list("text", flat=True)) == ["Andra", "Tredje"]
    assert not live.open_conflicts(meeting)


def test_a_fourth_agreed_wish_is_refused(running):
    meeting, facilitator, _ = running
    step = step_of(meeting, Step.RecordKind.WISHES)
    wishes = [live.add_wish(meeting, facilitator, step, f"Önskan {n}") for n in range(4)]
    for wish in wishes[:3]:
        live.agree_wish(meeting, facilitator, wish)
    with pytest.raises(live.LiveError, match="redan kommit överens om 3"):
        live.agree_wish(meeting, facilitator, wishes[3])
    assert Wish.objects.filter(agreed_rank__isnull=False).count() == 3


def test_agreed_wishes_can_be_reordered_and_unagreed(running):
    meeting, facilitator, _ = running
    step = step_of(meeting, Step.RecordKind.WISHES)
    a, b, c = (live.add_wish(meeting, facilitator, step, t) for t in "ABC")
    for wish in (a, b, c):
        live.agree_wish(meeting, facilitator, wish)
    live.move_agreed_wish(meeting, facilitator, c, -1)
    live.unagree_wish(meeting, facilitator, a)
    ranked = Wish.objects.filter(agreed_rank__isnull=False).order_by("agreed_rank")
    assert [w.text for w in ranked] == ["C", "B"]


def test_an_action_item_takes_owners_and_free_text_when(running):
    meeting, facilitator, _ = running
    step = step_of(meeting, Step.RecordKind.ACTIONS)
    maria = meeting.participations.get(person__name="Maria Ek")
    item = live.add_action(
        meeting,
        facilitator,
        step,
        "Ta fram nyckeltal",
        [maria],
        "Ekonomichefen",
        None,
        "innan budgetberedningen",
    )
    assert item.who() == "Maria Ek, Ekonomichefen"
    assert item.when() == "innan budgetberedningen"


def test_an_unannounced_person_is_added_as_present(running):
    meeting, facilitator, _ = running
    participation = live.add_unannounced(meeting, facilitator, "Nils Nykomling", "Rektor")
    assert participation.present and participation.unannounced


def test_finishing_locks_every_change(running):
    meeting, facilitator, _ = running
    live.finish(meeting, facilitator)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FINISHED and meeting.finished_at
    with pytest.raises(live.LiveError, match="låst"):
        live.add_entry(meeting, facilitator, None, "För sent")


def test_changes_are_kept_with_who_and_what(running):
    meeting, facilitator, note_taker = running
    entry = live.add_entry(meeting, note_taker, None, "Före")
    live.edit_entry(meeting, note_taker, entry, "Efter", revision=1)
    change = A3Change.objects.filter(action=A3Change.Action.CHANGED).get()
    assert (change.user, change.old_text, change.new_text) == (note_taker, "Före", "Efter")
