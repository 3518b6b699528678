"""Issue 19, item 7: the archive, its search and the board at the scale of a region.

The pages cost the same whatever the number of meetings: counts stop at a cap (or, for a
broad search on PostgreSQL, are the planner's estimate), only the newest matches are
ranked, and the board's owner filter is a name field, not a list of every owner."""

import pytest
from django.urls import reverse

from samtal.participants.models import Participation
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, make_reviewer

pytestmark = pytest.mark.django_db

ARCHIVE = reverse("archive:list")
BOARD = reverse("actions:board")


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def reviewer_client(client):
    client.force_login(make_reviewer())
    return client


def test_the_archive_count_stops_at_the_cap(reviewer_client, monkeypatch):
    from samtal.core import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    for number in range(5):
        finished_meeting(f"Tema {number}", days_ago=number + 1)
    response = reviewer_client.get(ARCHIVE)
    assert "Fler än 3 avslutade samtal" in response.text
    assert len(response.context["page"]) == 5  # the page itself is whole


def test_the_board_count_stops_at_the_cap(reviewer_client, monkeypatch):
    from samtal.core import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    meeting = finished_meeting()
    for number in range(4):
        action(meeting, f"Åtgärd {number}")
    response = reviewer_client.get(BOARD)
    assert "Fler än 2 åtgärder" in response.text
    assert len(response.context["page"]) == 4


def test_the_board_filters_owners_by_name(reviewer_client):
    care = finished_meeting()
    helena = add_participant(care, "Helena Strand", Participation.Role.PARTICIPANT)
    lars = add_participant(care, "Lars Öberg", Participation.Role.PARTICIPANT)
    action(care, "Helenas åtgärd", owners=[helena])
    action(care, "Lars åtgärd", owners=[lars])

    def whats(**params):
        return sorted(a.what for a in reviewer_client.get(BOARD, params).context["page"])

    assert whats(ansvarig="helena strand") == ["Helenas åtgärd"]
    assert whats(ansvarig="öberg") == ["Lars åtgärd"]
    assert whats(ansvarig=str(lars.person_id)) == ["Lars åtgärd"]
    assert whats(ansvarig="Ingen Sådan") == []


def test_the_board_lists_no_owners_however_many_there_are(reviewer_client):
    meeting = finished_meeting()
    for number in range(30):
        owner = add_participant(meeting, f"Ägare Nummer{number}", Participation.Role.PARTICIPANT)
        action(meeting, f"Åtgärd {number}", owners=[owner])
    page = reviewer_client.get(BOARD).text
    assert 'name="ansvarig"' in page and "Nummer17</option>" not in page


def test_the_board_puts_overdue_first_then_open_then_closed(reviewer_client):
    meeting = finished_meeting()
    action(meeting, "Klar sedan länge", due_in_days=-30, status="klar")
    action(meeting, "Öppen senare", due_in_days=20)
    action(meeting, "Öppen utan datum", due_in_days=None)
    action(meeting, "Försenad", due_in_days=-3)
    action(meeting, "Pågår snart", due_in_days=2, status="pagar")
    page = reviewer_client.get(BOARD).context["page"]
    assert [a.what for a in page] == [
        "Försenad",
        "Pågår snart",
        "Öppen senare",
        "Öppen utan datum",
        "Klar sedan länge",
    ]


@pytest.mark.postgres
def test_a_broad_search_ranks_the_newest_matches_and_estimates_the_count(
    reviewer_client, monkeypatch
):
    from samtal.archive import search

    monkeypatch.setattr(search, "RANKED", 3)
    finished_meeting("Hemtjänst", days_ago=400, claims=[("Hemtjänsten växer", "")])
    for number in range(4):
        finished_meeting(f"Tema {number}", days_ago=number + 1, claims=[("Om hemtjänst", "")])
    finished_meeting("Hemtjänst", days_ago=2, claims=[("Hemtjänsten i hemtjänsten", "")])
    response = reviewer_client.get(ARCHIVE, {"q": "hemtjänst"})
    themes = [m.theme for m in response.context["page"]]
    # The newest three matches best first (the theme match), then the others newest first.
    assert themes[0] == "Hemtjänst" and set(themes[1:3]) == {"Tema 0", "Tema 1"}
    assert themes[3:] == ["Tema 2", "Tema 3", "Hemtjänst"]
    assert "Omkring" in response.text and "samtal matchar" in response.text
    assert not response.context["page"].paginator.count_exact


@pytest.mark.postgres
def test_a_narrow_search_is_counted_exactly_and_ranked_in_full(reviewer_client):
    finished_meeting("Grundskola", days_ago=1, claims=[("Samverkan med hemtjänsten", "")])
    finished_meeting("Hemtjänst", days_ago=100, claims=[("Brukarna är nöjda", "")])
    response = reviewer_client.get(ARCHIVE, {"q": "hemtjänst"})
    assert "2 samtal matchar" in response.text
    assert [m.theme for m in response.context["page"]] == ["Hemtjänst", "Grundskola"]


@pytest.mark.postgres
def test_the_passage_comes_from_the_matching_line_of_a_long_a3(reviewer_client):
    claims = [(f"Påstående nummer {n} om eleverna och skolan", "") for n in range(40)]
    claims.insert(30, ("Väntetiderna till elevhälsan har ökat", "vi saknar psykologer"))
    finished_meeting("Grundskola", claims=claims)
    response = reviewer_client.get(ARCHIVE, {"q": "väntetid"})
    (meeting,) = response.context["page"]
    assert "<mark>Väntetiderna</mark>" in str(meeting.passage)


@pytest.mark.postgres
def test_every_search_plan_finds_the_same_meetings_in_the_same_order(reviewer_client, monkeypatch):
    """The plan is chosen from the planner's estimate (samtal/archive/search.py
    choose_plan); whichever it is, the reader gets the same pages."""
    from samtal.archive import search
    from tests.factories import make_unit

    monkeypatch.setattr(search, "RANKED", 3)
    care, school = make_unit(name="Vård och omsorg"), make_unit(name="Barn och utbildning")
    finished_meeting("Hemtjänst", care, days_ago=400, claims=[("Hemtjänsten växer", "")])
    for number in range(4):
        unit = care if number % 2 else school
        finished_meeting(f"Tema {number}", unit, days_ago=number + 1, claims=[("Hemtjänst", "")])
    finished_meeting("Hemtjänst", school, days_ago=2, claims=[("Hemtjänsten i hemtjänsten", "")])
    finished_meeting("Grundskola", care, days_ago=3, claims=[("Eleverna läser", "")])
    queries = [
        {"q": "hemtjänst"},
        {"q": "hemtjänst", "sida": 2},
        {"q": "hemtjänst", "sortering": "datum"},
        {"q": "hemtjänst", "sortering": "enhet"},
        {"q": "hemtjänst", "enhet": care.pk},
        {"q": "cykelbanor"},
    ]
    seen = {}
    for plan in (search.WALK, search.FROM_INDEX, search.HITS_FIRST):
        monkeypatch.setattr(search, "choose_plan", lambda estimate, narrowed, p=plan: p)
        seen[plan] = [
            [
                (m.theme, m.unit.name, m.date)
                for m in reviewer_client.get(ARCHIVE, q).context["page"]
            ]
            for q in queries
        ]
    assert seen[search.WALK] == seen[search.FROM_INDEX] == seen[search.HITS_FIRST]
    by_relevance, second_page, by_date, by_unit, in_care, nothing = seen[search.WALK]
    assert [t for t, _u, _d in by_date] == [
        "Tema 0",
        "Hemtjänst",
        "Tema 1",
        "Tema 2",
        "Tema 3",
        "Hemtjänst",
    ]
    assert len(by_relevance) == 6 and second_page == by_relevance  # one page of 25
    assert [u for _t, u, _d in by_unit] == ["Barn och utbildning"] * 3 + ["Vård och omsorg"] * 3
    assert {u for _t, u, _d in in_care} == {"Vård och omsorg"} and len(in_care) == 3
    assert nothing == []


def test_the_search_plan_follows_the_estimate():
    from samtal.archive.search import FROM_INDEX, HITS_FIRST, WALK, choose_plan

    assert choose_plan(10, narrowed=False) == FROM_INDEX
    assert choose_plan(3000, narrowed=False) == HITS_FIRST
    assert choose_plan(40000, narrowed=False) == WALK
    assert choose_plan(3000, narrowed=True) == FROM_INDEX
    assert choose_plan(40000, narrowed=True) == WALK
