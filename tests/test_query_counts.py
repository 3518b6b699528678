"""The main pages run an exact number of queries, however much they show.

Every page is loaded once before it is counted, so process-wide caches (content types,
templates) are warm and the count is what a running server does per request. The data has
several rows of every kind a page lists: an N+1 changes the count. A changed count is a
decision: look at the new queries (the failure lists them) before moving the pin.

Issue 16 moved them: every signed-in page reads the user's memberships once (one query, with
their organisations: the current organisation, the header, the policy's roles). Kommunledning's
role is the membership's, not a permission, so the header's Dataskydd and Mallar links are now
what loads the user's permissions on kommunledning's pages (two queries, +2 on those pages).
"""

import pytest
from django.urls import reverse

from samtal.a3 import live
from samtal.meetings.models import Material, Meeting
from samtal.participants.links import make_token
from samtal.participants.models import Participation, PreparationAnswer, SentEmail
from samtal.participants.preparation import preparation_for
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, make_meeting, make_reviewer, make_unit, make_user

pytestmark = pytest.mark.django_db
Role = Participation.Role


@pytest.fixture
def unit():
    return make_unit()


@pytest.fixture
def leader():
    return make_user("karin", first_name="Karin", last_name="Lindqvist")


@pytest.fixture
def note_taker():
    return make_user("johan", first_name="Johan")


@pytest.fixture
def reader():
    return make_user("maria", first_name="Maria")


def staff(meeting, leader, note_taker, reader, extra=5):
    add_participant(meeting, "Karin Lindqvist", Role.FACILITATOR, user=leader)
    add_participant(meeting, "Johan Sjöberg", Role.NOTE_TAKER, user=note_taker)
    add_participant(meeting, "Maria Ek", user=reader)
    return [add_participant(meeting, f"Deltagare {n}") for n in range(extra)]


@pytest.fixture
def planned(unit, leader, note_taker, reader):
    """A planned meeting with people, material, invitations and preparation under way, and
    open actions from the unit's earlier meetings."""
    for days_ago in (30, 60):
        earlier = finished_meeting(f"Tidigare {days_ago}", unit=unit, days_ago=days_ago)
        for n in range(3):
            action(
                earlier, f"Åtgärd {n}", owners=[add_participant(earlier, f"Ägare {days_ago} {n}")]
            )
    meeting = make_meeting("Hemtjänst", unit=unit, created_by=leader)
    others = staff(meeting, leader, note_taker, reader)
    step = meeting.template_version.steps.get(key="2A")
    for n, participation in enumerate(others):
        Material.objects.create(meeting=meeting, title=f"Rapport {n}", url=f"https://e.org/{n}")
        SentEmail.objects.create(
            participation=participation,
            kind=SentEmail.Kind.INVITATION,
            to=participation.person.email,
            subject="Kallelse",
            body="Välkommen",
        )
        preparation = preparation_for(participation)
        PreparationAnswer.objects.create(preparation=preparation, step=step, text=f"Svar {n}")
    return meeting


@pytest.fixture
def running(unit, leader, note_taker, reader):
    """A running meeting at step 2A with notes, wishes, actions and parked questions."""
    meeting = make_meeting("Grundskola", unit=unit, days_from_today=0, created_by=leader)
    staff(meeting, leader, note_taker, reader)
    live.start_live(meeting, leader)
    meeting.refresh_from_db()
    live.move_step(meeting, leader, direction="next")
    steps = {s.key: s for s in meeting.template_version.steps.all()}
    for n in range(5):
        live.add_entry(meeting, note_taker, steps["2A"], f"Påstående {n}", "därför att")
        live.add_entry(meeting, note_taker, steps["2B"], f"Resultat {n}")
        live.add_wish(meeting, note_taker, steps["4A"], f"Önskning {n}")
        live.add_action(meeting, note_taker, steps["4B"], f"Åtgärd {n}")
        live.park(meeting, note_taker, f"Fråga {n}")
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def archive(unit, leader):
    """Finished meetings with A3 content and actions with reports, over several units."""
    meetings = []
    for n in range(8):
        meeting = finished_meeting(
            f"Tema {n}",
            unit=make_unit(f"Enhet {n % 3}"),
            days_ago=10 + n,
            claims=[(f"Påstående {m}", "för att") for m in range(4)],
        )
        for m in range(3):
            item = action(
                meeting, f"Åtgärd {m}", owners=[add_participant(meeting, f"Ägare {n} {m}")]
            )
            item.report("Rapport", "pagar")
        meetings.append(meeting)
    return meetings


def count(client, user, url, expected, django_assert_num_queries):
    if user is not None:
        client.force_login(user)
    assert client.get(url).status_code == 200  # warm the process-wide caches
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_my_meetings(client, leader, planned, running, django_assert_num_queries):
    for n in range(6):
        other = make_meeting(f"Tema {n}", status=Meeting.Status.FINISHED)
        add_participant(other, "Karin Lindqvist", email="karin.lindqvist@kommun.example")
    response = count(client, leader, reverse("meetings:mine"), 7, django_assert_num_queries)
    assert "Tema 5" in response.text and "Grundskola" in response.text


def test_the_meeting_page_of_a_planned_meeting(client, leader, planned, django_assert_num_queries):
    url = reverse("meetings:detail", args=[planned.pk])
    # +1: key figures, +1: the unit's latest återrapportering, −1: the end time from the
    # steps already read
    response = count(client, leader, url, 21, django_assert_num_queries)
    assert "Rapport 4" in response.text and "Ägare 60 2" in response.text


def test_the_meeting_page_of_a_finished_meeting(client, leader, archive, django_assert_num_queries):
    meeting = archive[0]
    meeting.created_by = leader
    meeting.save(update_fields=["created_by"])
    url = reverse("meetings:detail", args=[meeting.pk])
    # +1: key figures, +1: the step timers (each step's actual minutes beside its planned),
    # −1: the end time from the steps already read
    response = count(client, leader, url, 18, django_assert_num_queries)
    assert "Påstående 3" in response.text


def test_the_plan_page(client, leader, planned, django_assert_num_queries):
    url = reverse("meetings:plan", args=[planned.pk])
    # 13: one query for every person's latest EmailDelivery (waiting, sent, failed).
    response = count(client, leader, url, 13, django_assert_num_queries)
    assert "Deltagare 4" in response.text


def test_the_preparation_overview(client, leader, planned, django_assert_num_queries):
    url = reverse("meetings:preparation_overview", args=[planned.pk])
    response = count(client, leader, url, 14, django_assert_num_queries)
    assert "Svar 4" in response.text


def test_the_projector(client, leader, running, django_assert_num_queries):
    url = reverse("a3_live:projector", args=[running.pk])
    # +1: key figures; +1: whether a poll is open for the phones, −1: the timers' steps
    # come from the version's list, not one query per timer; −1: the A3 uses the steps
    # already read; −2: nothing to edit, so no prepared answers or edit conflicts
    response = count(client, leader, url, 16, django_assert_num_queries)
    assert "Påstående 4" in response.text


def test_the_note_takers_page(client, note_taker, running, django_assert_num_queries):
    url = reverse("a3_live:notes", args=[running.pk])
    # −1: the A3 uses the steps already read
    response = count(client, note_taker, url, 21, django_assert_num_queries)
    assert "Påstående 4" in response.text


def test_the_live_a3_overview(client, reader, running, django_assert_num_queries):
    url = reverse("a3_live:overview", args=[running.pk])
    # −2: the A3 and its end time use the steps already read; −1: a follower is shown no
    # edit conflicts
    response = count(client, reader, url, 19, django_assert_num_queries)
    assert "Önskning 4" in response.text


def test_the_participants_personal_page(client, planned, django_assert_num_queries):
    maria = planned.participations.get(person__name="Deltagare 4")
    url = reverse("participants:preparation", args=[make_token(maria)])
    response = count(client, None, url, 9, django_assert_num_queries)  # +1: key figures
    assert "Svar 4" in response.text


def test_the_archive_list(client, archive, django_assert_num_queries):
    response = count(
        client, make_reviewer(), reverse("archive:list"), 10, django_assert_num_queries
    )
    assert "Tema 7" in response.text


def test_the_archived_meeting(client, archive, django_assert_num_queries):
    url = reverse("archive:meeting", args=[archive[0].pk])
    # +1: the actions' status today, +1: the step timers (actual minutes beside planned),
    # −1: the end time from the steps already read
    response = count(client, make_reviewer(), url, 16, django_assert_num_queries)
    assert "Påstående 3" in response.text


def test_the_follow_up_board(client, archive, django_assert_num_queries):
    response = count(
        # +1: every report on the page (the owner filter is a name field: no list of owners)
        client,
        make_reviewer(),
        reverse("actions:board"),
        11,
        django_assert_num_queries,
    )
    assert "Ägare 7 2" in response.text


def test_the_archive_list_searched_and_filtered(client, archive, django_assert_num_queries):
    url = reverse("archive:list") + f"?q=tema&enhet={archive[0].unit_id}"
    # +1: people matching the search. PostgreSQL: +4, the planner's estimate of the matches
    # (the count of a broad search) and the plan chosen for finding the newest matches (a
    # set_config inside a savepoint): samtal/archive/search.py RankedSearch
    from django.db import connection

    expected = 17 if connection.vendor == "postgresql" else 13
    response = count(client, make_reviewer(), url, expected, django_assert_num_queries)
    assert "Tema 0" in response.text
