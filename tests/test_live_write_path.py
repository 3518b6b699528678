"""One write path for the live A3: the meeting row is locked and re-read before any change."""

import pytest

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
