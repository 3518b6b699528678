"""Several organisations on one installation: the boundary, roles per organisation, the
switcher, only planners create meetings, and people records that do not leak."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from samtal.actions.models import ActionItem
from samtal.core.policy import Viewer, access, is_reviewer, may_use_board
from samtal.meetings.models import Meeting, Unit
from samtal.organisations.models import Membership
from samtal.participants.models import Participation, Person
from tests.evaluation_helpers import make_round
from tests.factories import (
    add_participant,
    default_version,
    make_meeting,
    make_organisation,
    make_reviewer,
    make_unit,
    make_user,
    staffed_meeting,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organisations():
    sundsvall = make_organisation()
    timra = make_organisation("Timrå kommun", "Timråbon")
    a = make_meeting(theme="Hemtjänst", status=Meeting.Status.FINISHED, days_from_today=-3)
    b_unit = make_unit("Kultur- och fritidsnämnden", organisation=timra)
    b = make_meeting(theme="Biblioteken", unit=b_unit, status=Meeting.Status.FINISHED)
    return sundsvall, timra, a, b


def test_kommunledning_reads_only_its_own_organisations_archive(client, two_organisations):
    sundsvall, timra, a, b = two_organisations
    eva = make_reviewer("eva", organisation=sundsvall)
    assert access(Viewer(user=eva), a).read_archive
    assert not access(Viewer(user=eva), b).see
    client.force_login(eva)
    page = client.get(reverse("archive:list")).content.decode()
    assert "Hemtjänst" in page and "Biblioteken" not in page
    assert "Kultur- och fritidsnämnden" not in page  # not in the unit filter either
    assert client.get(reverse("meetings:detail", args=[b.pk])).status_code == 403
    assert client.get(reverse("archive:meeting", args=[b.pk])).status_code == 403


def test_the_other_organisations_planner_who_created_a_meeting_there_still_sees_nothing_here(
    two_organisations,
):
    sundsvall, timra, a, b = two_organisations
    lena = make_user("lena", organisation=timra, reviewer=True)
    # Even a meeting she once created here, before leaving the organisation.
    Meeting.objects.filter(pk=a.pk).update(created_by=lena)
    a.refresh_from_db()
    allowed = access(Viewer(user=lena), a)
    assert not any(
        getattr(allowed, need)
        for need in ["see", "plan", "lead", "follow_live", "read_archive", "read_evaluations"]
    )
    assert not is_reviewer(lena, sundsvall) and is_reviewer(lena, timra)


def test_an_invitation_to_another_organisations_meeting_gives_that_participations_rights(
    two_organisations,
):
    sundsvall, timra, a, b = two_organisations
    karin = make_user("karin", organisation=sundsvall)
    add_participant(b, "Karin Lindqvist", Participation.Role.FACILITATOR, user=karin)
    allowed = access(Viewer(user=karin), b)
    assert allowed.see and allowed.reflect and allowed.plan


def test_the_old_permission_makes_kommunledning_only_where_the_user_is_a_member(
    two_organisations,
):
    sundsvall, timra, a, b = two_organisations
    old = make_user("gammal", organisation=sundsvall, planner=False)
    old.user_permissions.add(Permission.objects.get(codename="review_archive"))
    old = type(old).objects.get(pk=old.pk)
    assert is_reviewer(old, sundsvall)
    assert not is_reviewer(old, timra)
    assert access(Viewer(user=old), a).read_archive and not access(Viewer(user=old), b).see


def test_the_board_shows_only_the_current_organisations_actions(client, two_organisations):
    sundsvall, timra, a, b = two_organisations
    version = default_version()
    step = version.steps.get(key="4B")
    ActionItem.objects.create(meeting=a, step=step, what="Sundsvalls åtgärd")
    ActionItem.objects.create(meeting=b, step=step, what="Timrås åtgärd")
    eva = make_reviewer("eva", organisation=sundsvall)
    client.force_login(eva)
    page = client.get(reverse("actions:board")).content.decode()
    assert "Sundsvalls åtgärd" in page and "Timrås åtgärd" not in page
    other = ActionItem.objects.get(what="Timrås åtgärd")
    assert client.get(reverse("actions:detail", args=[other.pk])).status_code == 403
    assert may_use_board(eva, sundsvall) and not may_use_board(eva, timra)


def test_a_user_in_two_organisations_switches_and_sees_each_ones_meetings(
    client, two_organisations
):
    sundsvall, timra, a, b = two_organisations
    karin = make_user("karin", organisation=sundsvall, reviewer=True)
    Membership.objects.create(user=karin, organisation=timra, is_reviewer=True)
    client.force_login(karin)
    page = client.get(reverse("archive:list")).content.decode()
    assert 'id="byt-organisation"' in page
    assert "Hemtjänst" in page and "Biblioteken" not in page
    response = client.post(
        reverse("switch_organisation"), {"organisation": timra.pk, "next": "/arkiv/"}
    )
    assert response.status_code == 302 and response["Location"] == "/arkiv/"
    page = client.get(reverse("archive:list")).content.decode()
    assert "Biblioteken" in page and "Hemtjänst" not in page
    assert "Du arbetar nu i Timrå kommun." in page


def test_switching_to_an_organisation_one_is_not_a_member_of_is_refused(client, two_organisations):
    sundsvall, timra, a, b = two_organisations
    eva = make_reviewer("eva", organisation=sundsvall)
    client.force_login(eva)
    client.post(reverse("switch_organisation"), {"organisation": timra.pk})
    page = client.get(reverse("archive:list")).content.decode()
    assert "Du är inte medlem i den organisationen." in page
    assert "Hemtjänst" in page and "Biblioteken" not in page


def test_only_planners_create_meetings(client):
    unit = make_unit()
    viewer = make_user("maria", planner=False)
    client.force_login(viewer)
    assert client.get(reverse("meetings:create")).status_code == 403
    assert "Nytt samtal" not in client.get(reverse("meetings:mine")).content.decode()
    data = {
        "theme": "Hemtjänst",
        "unit": unit.pk,
        "date": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        "start_time": "09:00",
        "location": "Stadshuset",
        "template_version": default_version().pk,
    }
    assert client.post(reverse("meetings:create"), data).status_code == 403
    assert not Meeting.objects.exists()
    planner = make_user("karin")
    client.force_login(planner)
    assert "Nytt samtal" in client.get(reverse("meetings:mine")).content.decode()
    assert client.post(reverse("meetings:create"), data).status_code == 302
    assert Meeting.objects.get().created_by == planner


def test_the_planning_form_offers_only_the_organisations_active_units(client):
    make_unit("Barn- och utbildningsnämnden")
    Unit.objects.create(organisation=make_organisation(), name="Gamla nämnden", is_active=False)
    make_unit("Kultur- och fritidsnämnden", organisation=make_organisation("Timrå kommun"))
    client.force_login(make_user("karin"))
    page = client.get(reverse("meetings:create")).content.decode()
    assert "Barn- och utbildningsnämnden" in page
    assert "Gamla nämnden" not in page and "Kultur- och fritidsnämnden" not in page
    assert "Eller lägg till en ny enhet" not in page


def test_a_planner_adds_a_unit_while_planning_when_the_administrator_allows_it(client):
    organisation = make_organisation()
    organisation.planners_may_add_units = True
    organisation.save()
    client.force_login(make_user("karin"))
    data = {
        "theme": "Parker",
        "new_unit": "Samhällsbyggnadsnämnden",
        "new_unit_kind": "namnd",
        "date": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        "start_time": "09:00",
        "location": "Stadshuset",
        "template_version": default_version().pk,
    }
    empty = client.post(reverse("meetings:create"), {**data, "new_unit": ""})
    assert empty.status_code == 422
    assert "Välj vilken nämnd" in empty.content.decode()
    assert client.post(reverse("meetings:create"), data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.unit.name == "Samhällsbyggnadsnämnden"
    assert meeting.unit.organisation == organisation
    again = client.post(reverse("meetings:create"), {**data, "theme": "Gator"})
    assert again.status_code == 422
    assert "finns redan" in again.content.decode()


def test_survey_rounds_and_results_belong_to_an_organisation(client, two_organisations):
    sundsvall, timra, a, b = two_organisations
    make_round(name="Före Sundsvall", organisation=sundsvall)
    make_round(name="Före Timrå", organisation=timra)
    client.force_login(make_reviewer("eva", organisation=sundsvall))
    page = client.get(reverse("surveys:rounds")).content.decode()
    assert "Före Sundsvall" in page and "Före Timrå" not in page


# People records that don't leak ---------------------------------------------------------


def test_adding_someone_by_email_never_shows_another_organisations_record(client):
    timra = make_organisation("Timrå kommun")
    Person.objects.create(organisation=timra, name="Hemlig Anteckning", email="anna@example.se")
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    client.post(
        reverse("meetings:participant_add", args=[meeting.pk]),
        {"ny-name": "Anna Berg", "ny-email": "anna@example.se", "ny-role": "deltagare"},
    )
    page = client.get(reverse("meetings:plan", args=[meeting.pk])).content.decode()
    assert "Anna Berg" in page and "Hemlig Anteckning" not in page
    person = meeting.participations.get(person__email="anna@example.se").person
    assert person.organisation == meeting.unit.organisation


def test_a_title_written_for_one_meeting_changes_no_other_meeting(client):
    first, facilitator, _ = staffed_meeting()
    second = make_meeting(theme="Grundskola")
    add_participant(
        second,
        "Karin Lindqvist",
        Participation.Role.FACILITATOR,
        user=facilitator,
        email="karin.lindqvist@kommun.example",
    )
    client.force_login(facilitator)
    for meeting, title in [(first, "Rektor"), (second, "")]:
        client.post(
            reverse("meetings:participant_add", args=[meeting.pk]),
            {
                "ny-name": "Anna Berg",
                "ny-email": "anna@kommun.se",
                "ny-role": "deltagare",
                "ny-title": title,
            },
        )
    one = first.participations.get(person__email="anna@kommun.se")
    two = second.participations.get(person__email="anna@kommun.se")
    assert one.person == two.person  # one register per organisation
    assert (one.title, two.title) == ("Rektor", "")
    assert "Rektor" not in client.get(reverse("meetings:plan", args=[second.pk])).content.decode()


def test_the_evaluation_page_counts_only_the_organisations_own_rounds(client, two_organisations):
    sundsvall, timra, a, b = two_organisations
    make_round(name="Före Sundsvall", organisation=sundsvall)
    make_round(name="Före Timrå", organisation=timra)
    make_round(name="Efter Timrå", organisation=timra)
    client.force_login(make_reviewer("eva", organisation=sundsvall))
    page = client.get(reverse("evaluations:index")).content.decode()
    assert "1 omgång" in page and "2 omgångar" not in page and "3 omgångar" not in page
    assert "Kultur- och fritidsnämnden" not in page
