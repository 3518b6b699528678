"""The access policy's answers where the old per-module rules disagreed, and the tokens."""

from unittest import mock

import pytest
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from samtal.a3.live_feed import live_key, read_key
from samtal.core.policy import Viewer, access
from samtal.core.tokens import LIVE_KEY_HOURS, LinkError
from samtal.meetings.models import Meeting
from samtal.participants.links import make_token, participation_for_token
from tests.factories import add_participant, make_meeting, make_user, staffed_meeting

pytestmark = pytest.mark.django_db


def test_a_superuser_gets_the_same_answer_on_the_meeting_page_and_the_live_a3(client):
    meeting, *_ = staffed_meeting(days_from_today=0)
    meeting.start()
    client.force_login(make_user("it", is_superuser=True, is_staff=True))
    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("a3_live:overview", args=[meeting.pk])).status_code == 200


@pytest.mark.parametrize("route", ["meetings:start", "a3_live:start"])
def test_a_creator_who_is_only_antecknare_cannot_start_the_meeting(client, route):
    creator = make_user("skapare")
    meeting, *_ = staffed_meeting(days_from_today=0, created_by=creator)
    meeting.participations.filter(role="antecknare").delete()
    add_participant(meeting, "Skapare Skapsson", "antecknare", user=creator)
    client.force_login(creator)
    response = client.post(reverse(route, args=[meeting.pk]), {"annan_dag": "ja"})
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_the_samtalsledare_starts_from_the_meeting_page_and_the_projector_alike(client):
    meeting, facilitator, _ = staffed_meeting(days_from_today=0)
    client.force_login(facilitator)
    response = client.post(reverse("meetings:start", args=[meeting.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("a3_live:projector", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.RUNNING


def test_the_policy_gives_a_personal_link_only_its_own_meeting():
    meeting = make_meeting()
    other = make_meeting(theme="Grundskola")
    held = add_participant(meeting, "Maria Ek")
    viewer = Viewer(participation=held)
    assert access(viewer, meeting).see and access(viewer, meeting).prepare
    assert not access(viewer, meeting).plan and not access(viewer, meeting).take_notes
    assert not access(viewer, other).see


def test_personal_links_keep_working_when_the_secret_key_is_rotated():
    participation = add_participant(make_meeting(), "Maria Ek")
    with override_settings(SECRET_KEY="den-gamla-nyckeln-" * 3):
        token = make_token(participation)
    with override_settings(
        SECRET_KEY="den-nya-nyckeln-" * 3, SECRET_KEY_FALLBACKS=["den-gamla-nyckeln-" * 3]
    ):
        assert participation_for_token(token) == participation
    with (
        override_settings(SECRET_KEY="den-nya-nyckeln-" * 3, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(LinkError),
    ):
        participation_for_token(token)


def test_a_live_key_follows_only_its_meeting_and_expires():
    meeting = make_meeting()
    key = live_key(meeting, "notes", {"u": 7})
    assert read_key(meeting.pk, key)["v"] == "notes"
    assert read_key(meeting.pk + 1, key) is None
    later = signing.time.time() + LIVE_KEY_HOURS * 3600 + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert read_key(meeting.pk, key) is None
