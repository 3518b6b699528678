"""Issue 19: the participant's way back after the meeting (their personal page)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from samtal.actions.models import FollowUp
from samtal.participants.links import make_token
from samtal.participants.models import Participation
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, make_meeting, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


def page(participation):
    return reverse("participants:preparation", args=[make_token(participation)])


@pytest.fixture
def finished():
    meeting = finished_meeting("Hemtjänst", days_ago=21)
    karin = make_user("karin", first_name="Karin", last_name="Lindqvist")
    add_participant(
        meeting,
        "Karin Lindqvist",
        Participation.Role.FACILITATOR,
        user=karin,
        email="karin@kommun.example",
    )
    return meeting


def test_after_the_meeting_the_personal_page_is_efter_samtalet(client, finished):
    maria = add_participant(finished, "Maria Ek")
    content = client.get(page(maria)).text
    assert "Efter samtalet" in content
    assert "Förberedelse inför resultatsamtal" not in content
    assert "Samtalet har startat" not in content
    payload = make_token(maria).split(":")[0]
    assert re.search(rf'href="/l/{payload}:[^"/]+/a3/"', content)
    assert re.search(rf'href="/l/{payload}:[^"/]+/a3.pdf"', content)


def test_the_page_says_when_the_link_stops_working_and_whom_to_ask(client, finished, settings):
    settings.PERSONAL_LINK_DAYS_AFTER_MEETING = 30
    maria = add_participant(finished, "Maria Ek")
    content = client.get(page(maria)).text
    last_day = finished.date + datetime.timedelta(days=30)
    from django.utils.formats import date_format

    assert f"Din personliga länk fungerar till och med {date_format(last_day, 'j F Y')}" in content
    assert "Kontakta samtalsledaren Karin Lindqvist" in content
    assert "mailto:karin@kommun.example" in content


def test_the_page_lists_the_actions_the_person_owns_with_a_working_report_link(client, finished):
    maria = add_participant(finished, "Maria Ek")
    olof = add_participant(finished, "Olof Berg")
    mine = action(finished, "Analysera fallrapporterna", owners=[maria])
    action(finished, "Någon annans åtgärd", owners=[olof])
    content = client.get(page(maria)).text
    assert "Analysera fallrapporterna" in content
    assert "Någon annans åtgärd" not in content
    start = content.index('href="/l/', content.index("Dina åtgärder"))
    report_url = content[start + 6 : content.index('"', start + 6)]
    assert report_url.endswith(f"/atgarder/{mine.pk}/")
    report_page = client.get(report_url)
    assert report_page.status_code == 200
    back = page(maria).split(":")[0]
    assert f'href="{back}:' in report_page.text  # the way back
    response = client.post(
        report_url,
        {"reported_on": timezone.localdate().isoformat(), "text": "Påbörjad", "status": "pagar"},
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().reporter == maria.person
    assert "Påbörjad" in client.get(page(maria)).text  # latest report on the page


def test_the_page_offers_the_reflection_while_it_is_open(client):
    meeting = finished_meeting(days_ago=1)
    maria = add_participant(meeting, "Maria Ek")
    assert "Svara på utvärderingen" in client.get(page(maria)).text


def test_before_the_meeting_the_page_is_still_the_preparation(client):
    maria = add_participant(make_meeting(days_from_today=7), "Maria Ek")
    content = client.get(page(maria)).text
    assert "Förberedelse inför resultatsamtal" in content
    assert "Efter samtalet" not in content


def test_the_after_pages_query_count_does_not_grow_with_the_actions(client, finished):
    maria = add_participant(finished, "Maria Ek")
    action(finished, "Åtgärd", owners=[maria]).report("Rapport", "pagar")
    few = count_queries(client, page(maria))
    for n in range(5):
        action(finished, f"Fler {n}", owners=[maria]).report("Rapport", "pagar")
    assert count_queries(client, page(maria)) == few


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
