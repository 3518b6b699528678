"""One write path for the live A3: the meeting row is locked and re-read before any change."""

import threading
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from samtal.a3 import live
from samtal.a3.live_models import A3Change
from samtal.a3.models import Entry, ParkingLotItem, Step, Wish
from samtal.actions.models import ActionItem
from samtal.meetings.models import Meeting
from tests.factories import staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def running():
    meeting, facilitator, note_taker = staffed_meeting()
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    return meeting, facilitator, note_taker


def finished_elsewhere(meeting, user):
    """Another request, with its own copy of the meeting, finishes it."""
    live.finish(Meeting.objects.get(pk=meeting.pk), user)


def test_a_request_that_loaded_the_meeting_before_it_was_finished_cannot_write(running):
    meeting, facilitator, note_taker = running
    stale = Meeting.objects.get(pk=meeting.pk)
    assert stale.status == Meeting.Status.RUNNING
    finished_elsewhere(meeting, facilitator)
    changes_before = A3Change.objects.filter(meeting=meeting).count()
    version_before = Meeting.objects.get(pk=meeting.pk).version

    with pytest.raises(live.LiveError, match="låst"):
        live.add_entry(stale, note_taker, None, "Skrivet efter avslutet")
    wishes = Step.objects.filter(
        version=meeting.template_version, record_kind=Step.RecordKind.WISHES
    ).first()
    with pytest.raises(live.LiveError, match="låst"):
        live.add_wish(stale, note_taker, wishes, "Önskan efter avslutet")
    with pytest.raises(live.LiveError, match="låst"):
        live.add_action(stale, note_taker, None, "Åtgärd efter avslutet")
    with pytest.raises(live.LiveError, match="låst"):
        live.park(stale, note_taker, "Parkerad efter avslutet")

    assert not Entry.objects.filter(meeting=meeting).exists()
    assert not Wish.objects.filter(meeting=meeting).exists()
    assert not ActionItem.objects.filter(meeting=meeting).exists()
    assert not ParkingLotItem.objects.filter(meeting=meeting).exists()
    assert A3Change.objects.filter(meeting=meeting).count() == changes_before
    assert Meeting.objects.get(pk=meeting.pk).version == version_before
    # The stale copy now knows the truth, so the page it renders shows the meeting as locked.
    assert stale.status == Meeting.Status.FINISHED


def test_an_edit_begun_before_finishing_is_refused_and_the_text_kept(running):
    meeting, facilitator, note_taker = running
    entry = live.add_entry(meeting, note_taker, None, "Före")
    stale = Meeting.objects.get(pk=meeting.pk)
    finished_elsewhere(meeting, facilitator)
    with pytest.raises(live.LiveError, match="låst"):
        live.edit_entry(stale, note_taker, entry, "Efter", revision=1)
    with pytest.raises(live.LiveError, match="låst"):
        live.delete_entry(stale, note_taker, entry)
    entry.refresh_from_db()
    assert entry.text == "Före"


def test_a_nested_write_joins_the_outer_one_and_bumps_the_version_once(running):
    meeting, facilitator, note_taker = running
    entry = live.add_entry(meeting, note_taker, None, "Sparad")
    live.edit_entry(meeting, facilitator, entry, "Ledarens", revision=1)
    with pytest.raises(live.StaleEdit) as stale:
        live.edit_entry(meeting, note_taker, entry, "Antecknarens", revision=1)
    version = Meeting.objects.get(pk=meeting.pk).version
    live.resolve_conflict(meeting, facilitator, stale.value.conflict, "both")
    assert Meeting.objects.get(pk=meeting.pk).version == version + 1
    assert list(
        A3Change.objects.filter(meeting=meeting).order_by("-id")[:2].values_list("action", "kind")
    ) == [
        (A3Change.Action.KEPT_BOTH, A3Change.Kind.ENTRY),
        (A3Change.Action.WROTE, A3Change.Kind.ENTRY),
    ]


def test_a_refused_change_leaves_no_audit_row_and_no_new_version(running):
    meeting, _, note_taker = running
    version = Meeting.objects.get(pk=meeting.pk).version
    changes = A3Change.objects.count()
    with pytest.raises(live.LiveError, match="Skriv"):
        live.add_entry(meeting, note_taker, None, "   ")
    assert Meeting.objects.get(pk=meeting.pk).version == version
    assert A3Change.objects.count() == changes


def test_the_change_log_shows_the_swedish_names_of_kinds_and_actions(client, running):
    meeting, facilitator, note_taker = running
    participation = meeting.participations.exclude(role="samtalsledare").first()
    live.set_present(meeting, note_taker, participation, True)
    live.add_time(meeting, facilitator)
    client.force_login(facilitator)
    response = client.get(reverse("a3_live:changes", args=[meeting.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    name = participation.person.name
    for sentence in (f"ändrade närvaron för {name}", "lade till tid (5 min)", "startade samtalet"):
        assert sentence in html, sentence
    assert "narvaro" not in html and "lade_till_tid" not in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_write_waits_for_finishing_and_is_then_refused():
    """Two connections: one finishes the meeting and holds the row lock mid-way; the other
    tries to write with the meeting as it loaded it before. It waits, then is refused."""
    meeting, facilitator, note_taker = staffed_meeting()
    live.start_live(meeting, facilitator)
    live.toggle_timer(meeting, facilitator)  # a running timer, so finishing pauses it
    stale = Meeting.objects.get(pk=meeting.pk)
    finishing_holds_the_lock = threading.Event()
    let_finishing_commit = threading.Event()
    pause_timers = live._pause_timers

    def pause_timers_slowly(session, now):
        pause_timers(session, now)
        finishing_holds_the_lock.set()
        assert let_finishing_commit.wait(10)

    outcome = {}

    def finish():
        try:
            live.finish(Meeting.objects.get(pk=meeting.pk), facilitator)
        finally:
            connection.close()

    def write():
        try:
            live.add_entry(stale, note_taker, None, "Skrivet medan samtalet avslutades")
        except live.LiveError as error:
            outcome["refused"] = " ".join(error.messages)
        else:
            outcome["stored"] = True
        finally:
            connection.close()

    with mock.patch.object(live, "_pause_timers", pause_timers_slowly):
        finisher = threading.Thread(target=finish)
        finisher.start()
        assert finishing_holds_the_lock.wait(10)
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(1.0)
        assert writer.is_alive(), "the write did not wait for the meeting's lock"
        let_finishing_commit.set()
        finisher.join(10)
        writer.join(10)

    assert "låst" in outcome.get("refused", ""), outcome
    assert not Entry.objects.filter(meeting=meeting).exists()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.FINISHED


def test_the_migration_names_the_free_strings_written_before(running):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("samtal.a3.migrations.0007_a3change_kind_choices")
    meeting, _, _ = running
    old = [("entry", "ändrade", ""), ("närvaro", "närvaro", ""), ("tid", "+10 min", "")]
    rows = [
        A3Change.objects.create(meeting=meeting, kind=kind, action=action, new_text=new)
        for kind, action, new in old
    ]
    migration.to_choices(apps, None)
    assert [
        (c.kind, c.action, c.new_text)
        for c in A3Change.objects.filter(pk__in=[r.pk for r in rows]).order_by("id")
    ] == [
        (A3Change.Kind.ENTRY, A3Change.Action.CHANGED, ""),
        (A3Change.Kind.ATTENDANCE, A3Change.Action.ATTENDANCE, ""),
        (A3Change.Kind.TIME, A3Change.Action.TIME_ADDED, "+10 min"),
    ]
    assert A3Change.objects.exclude(kind__in=A3Change.Kind.values).count() == 0
    assert A3Change.objects.exclude(action__in=A3Change.Action.values).count() == 0
