"""Issue 19: search finds people and promises; a person's page for kommunledning."""

import pytest
from django.urls import reverse

from samtal.a3.models import Entry
from samtal.archive.search import document_text, index_meeting
from samtal.participants.models import Person
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, make_meeting, make_reviewer, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def meeting_with_people():
    meeting = finished_meeting("Hemtjänst")
    helena = add_participant(meeting, "Helena Strand")
    lars = add_participant(meeting, "Lars Öberg")
    Entry.objects.create(
        meeting=meeting,
        step=meeting.template_version.steps.get(key="2A"),
        participation=helena,
        text="Fler brukare känner sig trygga",
        reason="trygghetslarmen besvaras snabbare",
    )
    item = action(meeting, "Analysera kostnadsutvecklingen", owners=[lars])
    index_meeting(meeting)
    return meeting, helena, lars, item


def search(client, text):
    client.force_login(make_reviewer())
    return client.get(reverse("archive:list"), {"q": text})


def test_the_search_text_holds_names_owners_and_reports(meeting_with_people):
    meeting, helena, lars, item = meeting_with_people
    item.report("Analysen är beställd av ekonomienheten", "pagar", reporter=lars.person)
    text = document_text(meeting)
    assert "Helena Strand: Fler brukare känner sig trygga" in text
    assert "Analysera kostnadsutvecklingen – Lars Öberg" in text
    assert "Lars Öberg – Analysen är beställd av ekonomienheten" in text


def test_a_report_is_searchable_once_saved(
    client, meeting_with_people, django_capture_on_commit_callbacks
):
    meeting, helena, lars, item = meeting_with_people
    with django_capture_on_commit_callbacks(execute=True):
        item.report("Ekonomienheten levererar i mars", "pagar", reporter=lars.person)
    response = search(client, "ekonomienheten")
    assert "1 samtal matchar" in response.text
    assert "<mark>" in response.text


def test_searching_a_name_finds_the_person_and_the_meeting(client, meeting_with_people):
    response = search(client, "Helena Strand")
    assert "1 samtal matchar" in response.text
    assert "1 person matchar" in response.text
    person = Person.objects.get(name="Helena Strand")
    assert reverse("archive:person", args=[person.pk]) in response.text
    assert "<mark>Helena</mark> <mark>Strand</mark>" in response.text


def test_searching_a_surname_with_a_swedish_letter_finds_the_owner(client, meeting_with_people):
    response = search(client, "Öberg")
    assert "1 samtal matchar" in response.text
    assert "<mark>Öberg</mark>" in response.text


def test_people_only_in_planned_meetings_are_not_listed(client):
    add_participant(make_meeting(), "Helena Planerad")
    response = search(client, "Planerad")
    assert "person matchar" not in response.text


def test_the_person_page_lists_what_they_said_and_own(client, meeting_with_people):
    meeting, helena, lars, item = meeting_with_people
    item.report("Beställd", "pagar", reporter=lars.person)
    client.force_login(make_reviewer())
    page = client.get(reverse("archive:person", args=[helena.person.pk])).text
    assert "Fler brukare känner sig trygga" in page and "2A" in page
    page = client.get(reverse("archive:person", args=[lars.person.pk])).text
    assert "Analysera kostnadsutvecklingen" in page and "Pågår" in page
    assert "Beställd" in page


def test_the_person_page_is_for_kommunledning_only(client, meeting_with_people):
    meeting, helena, *_ = meeting_with_people
    client.force_login(make_user("karin"))
    assert client.get(reverse("archive:person", args=[helena.person.pk])).status_code == 403


def test_the_person_pages_query_count_does_not_grow(client, meeting_with_people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    meeting, helena, lars, item = meeting_with_people
    client.force_login(make_reviewer())
    url = reverse("archive:person", args=[lars.person.pk])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        other = finished_meeting(f"Tema {n}", days_ago=40 + n)
        owner = add_participant(other, "Lars Öberg")
        action(other, f"Åtgärd {n}", owners=[owner]).report("Klar", "klar", reporter=owner.person)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert "Åtgärd 3" in response.text
    assert len(many) == len(few)


def test_the_person_page_shows_the_latest_fifty_things_said(client, meeting_with_people):
    from samtal.a3.models import Wish
    from samtal.archive.people import LIMIT

    meeting, helena, *_ = meeting_with_people
    step_4a = meeting.template_version.steps.get(key="4A")
    older = finished_meeting("Äldreboende", days_ago=400)
    step_2a = older.template_version.steps.get(key="2A")
    then = add_participant(older, "Helena Strand")
    assert then.person == helena.person
    for n in range(LIMIT):
        Entry.objects.create(meeting=older, step=step_2a, participation=then, text=f"Gammalt {n}")
        Wish.objects.create(meeting=meeting, step=step_4a, participation=helena, text=f"Nytt {n}")
    client.force_login(make_reviewer())
    page = client.get(reverse("archive:person", args=[helena.person.pk])).text
    # The 50 latest: what she said in the newer meeting (the older meeting's entries wait).
    assert page.count('class="history__item"') == LIMIT
    assert "Fler brukare känner sig trygga" in page
    assert page.count(">Nytt ") == LIMIT - 1 and "Gammalt" not in page
    assert f"Listorna visar de {LIMIT} senaste raderna var." in page
