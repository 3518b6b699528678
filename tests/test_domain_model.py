import pytest
from django.db import IntegrityError, transaction

from samtal.actions.models import ActionItem
from samtal.conversation_templates.models import Step
from samtal.meetings.models import Meeting
from samtal.participants.models import Participation
from tests.factories import add_participant, make_meeting

pytestmark = pytest.mark.django_db


def test_a_meeting_can_have_only_one_samtalsledare():
    meeting = make_meeting()
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        add_participant(meeting, "Lars Öberg", Participation.Role.FACILITATOR)


def test_two_meetings_each_have_their_own_samtalsledare():
    first, second = make_meeting(), make_meeting(theme="Grundskola")
    add_participant(first, "Karin Lindqvist", Participation.Role.FACILITATOR)
    add_participant(second, "Karin Lindqvist", Participation.Role.FACILITATOR)
    assert Participation.objects.filter(role="samtalsledare").count() == 2


def test_the_same_person_cannot_take_part_twice_in_one_meeting():
    meeting = make_meeting()
    add_participant(meeting, "Maria Ek")
    with pytest.raises(IntegrityError), transaction.atomic():
        add_participant(meeting, "Maria Ek", Participation.Role.OBSERVER)


def test_a_meeting_without_facilitator_and_note_taker_says_both_are_missing():
    meeting = make_meeting()
    add_participant(meeting, "Maria Ek")
    assert [str(m) for m in meeting.missing_for_start()] == [
        "Samtalet behöver en samtalsledare.",
        "Samtalet behöver minst en antecknare.",
    ]


def test_a_meeting_with_facilitator_and_note_taker_misses_nothing():
    meeting = make_meeting()
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR)
    add_participant(meeting, "Johan Sjöberg", Participation.Role.NOTE_TAKER)
    assert meeting.missing_for_start() == []


def test_an_unknown_status_is_refused_by_the_database():
    meeting = make_meeting()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status="okänd")


def test_an_empty_theme_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_meeting(theme="")


def test_bump_version_counts_every_change():
    meeting = make_meeting()
    before = meeting.version
    meeting.bump_version()
    meeting.bump_version()
    assert meeting.version == before + 2


def test_open_and_overdue_action_items():
    import datetime

    from django.utils import timezone

    meeting = make_meeting(days_from_today=-30)
    today = timezone.localdate()
    late = ActionItem.objects.create(
        meeting=meeting, what="Ta fram rutin", due_date=today - datetime.timedelta(days=1)
    )
    done_late = ActionItem.objects.create(
        meeting=meeting,
        what="Klar sedan länge",
        due_date=today - datetime.timedelta(days=9),
        status=ActionItem.Status.DONE,
    )
    later = ActionItem.objects.create(
        meeting=meeting, what="Följ upp", due_date=today + datetime.timedelta(days=9)
    )
    assert set(ActionItem.objects.open()) == {late, later}
    assert list(ActionItem.objects.overdue()) == [late]
    assert late.is_overdue() and not done_late.is_overdue() and not later.is_overdue()


def test_an_action_item_names_participants_and_free_text_owners():
    meeting = make_meeting()
    owner = add_participant(meeting, "Olof Berg")
    action = ActionItem.objects.create(
        meeting=meeting, what="Utred", owner_names="Kvalitetsrådet", due_text="v. 12"
    )
    action.owners.add(owner)
    assert action.who() == "Olof Berg, Kvalitetsrådet"
    assert action.when() == "v. 12"


def test_step_minutes_must_be_positive():
    meeting = make_meeting()
    step = meeting.template_version.steps.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Step.objects.filter(pk=step.pk).update(minutes=0)
