"""Roles without accounts: an antecknare invited by personal link takes notes through the
link, with exactly that role's rights in that meeting; the samtalsledare hands the
note-taking to someone else during the meeting."""

import pytest
from django.urls import reverse

from samtal.a3 import live
from samtal.a3.models import Entry
from samtal.participants.links import make_token
from samtal.participants.models import Participation
from tests.factories import add_participant, make_meeting, make_user

pytestmark = pytest.mark.django_db
Role = Participation.Role
FETCH = {"HTTP_X_LIVE_FETCH": "1"}


@pytest.fixture
def running():
    meeting = make_meeting()
    leader = make_user("karin", first_name="Karin")
    add_participant(meeting, "Karin Lindqvist", Role.FACILITATOR, user=leader)
    writer = add_participant(meeting, "Per Holm", Role.NOTE_TAKER)  # no account
    reader = add_participant(meeting, "Sofia Lund")
    live.start_live(meeting, leader)
    meeting.refresh_from_db()
    return meeting, leader, writer, reader


def open_notes_by_link(client, participation):
    return client.get(reverse("participants:live_notes", args=[make_token(participation)]))


def test_a_note_taker_without_an_account_takes_notes_through_the_link(client, running):
    meeting, leader, writer, reader = running
    preparation = client.get(reverse("participants:preparation", args=[make_token(writer)]))
    assert "Öppna anteckningsvyn" in preparation.content.decode()
    response = open_notes_by_link(client, writer)
    assert response.status_code == 302
    assert response["Location"] == reverse("a3_live:notes", args=[meeting.pk])
    assert client.get(reverse("a3_live:notes", args=[meeting.pk])).status_code == 200
    step = meeting.template_version.steps.get(key="2B")
    added = client.post(
        reverse("a3_live:entry_add", args=[meeting.pk]),
        {"step": step.pk, "text": "Fler besökare på biblioteken"},
        **FETCH,
    )
    assert added.status_code == 204
    assert Entry.objects.filter(meeting=meeting, text="Fler besökare på biblioteken").exists()


def test_the_link_gives_a_note_takers_rights_and_nothing_more(client, running):
    meeting, leader, writer, reader = running
    open_notes_by_link(client, writer)
    # Not the samtalsledare's: finishing and handing over are refused.
    finish = client.post(reverse("a3_live:finish", args=[meeting.pk]), {"bekrafta": "ja"}, **FETCH)
    assert finish.status_code == 403
    assert client.post(reverse("a3_live:hand_notes", args=[meeting.pk]), **FETCH).status_code == 403
    # No planning, nothing behind an account, no other meeting.
    assert client.get(reverse("meetings:plan", args=[meeting.pk])).status_code == 302
    assert client.get(reverse("meetings:mine")).status_code == 302
    other = make_meeting(theme="Annat")
    assert client.get(reverse("a3_live:notes", args=[other.pk])).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_running


def test_a_deltagares_link_does_not_open_the_note_takers_view(client, running):
    meeting, leader, writer, reader = running
    assert open_notes_by_link(client, reader).status_code == 403
    assert client.get(reverse("a3_live:notes", args=[meeting.pk])).status_code == 302


def test_a_revoked_link_stops_the_note_takers_session(client, running):
    meeting, leader, writer, reader = running
    open_notes_by_link(client, writer)
    writer.revoke_link()
    response = client.get(reverse("a3_live:notes", args=[meeting.pk]))
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_the_facilitator_hands_the_note_taking_to_someone_else(client, running):
    meeting, leader, writer, reader = running
    client.force_login(leader)
    response = client.post(
        reverse("a3_live:hand_notes", args=[meeting.pk]), {"participation": reader.pk}, **FETCH
    )
    # A write with a message answers 200 and the message (the device shows it).
    assert response.status_code == 200
    assert "Sofia Lund antecknar nu." in response.content.decode()
    writer.refresh_from_db()
    reader.refresh_from_db()
    assert (writer.role, reader.role) == (Role.PARTICIPANT, Role.NOTE_TAKER)
    facilitator = meeting.participations.get(role=Role.FACILITATOR)
    refused = client.post(
        reverse("a3_live:hand_notes", args=[meeting.pk]),
        {"participation": facilitator.pk},
        **FETCH,
    )
    assert refused.status_code == 400
    assert "Samtalsledaren kan inte också vara antecknare." in refused.content.decode()
    client.logout()
    assert open_notes_by_link(client, reader).status_code == 302
    assert client.get(reverse("a3_live:notes", args=[meeting.pk])).status_code == 200
    # The former note-taker's link session no longer writes.
    other_client = type(client)()
    assert open_notes_by_link(other_client, writer).status_code == 403
