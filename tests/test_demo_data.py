import pytest
from django.core.management import call_command

from samtal.a3.models import Entry, Wish
from samtal.actions.models import ActionItem
from samtal.meetings.models import Meeting
from samtal.participants.models import Participation, PreparationAnswer

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", verbosity=0)


def test_the_demo_has_the_seeds_three_cases_each_with_all_four_roles(demo):
    meetings = Meeting.objects.filter(unit__organisation__name="Sundsvalls kommun")
    meetings = meetings.order_by("theme")
    assert [m.theme for m in meetings] == ["Grundskola", "Hemtjänst", "Origoparken"]
    for meeting in meetings:
        roles = set(meeting.participations.values_list("role", flat=True))
        assert roles == set(Participation.Role.values), meeting.theme
        assert PreparationAnswer.objects.filter(
            preparation__participation__meeting=meeting
        ).exists(), meeting.theme
        assert meeting.date.weekday() < 5


def test_one_demo_meeting_is_finished_with_a_filled_a3(demo):
    finished = Meeting.objects.get(status=Meeting.Status.FINISHED)
    steps = {s.key: s for s in finished.template_version.steps.all()}
    claims = Entry.objects.filter(meeting=finished, step=steps["2A"])
    assert claims.count() >= 5 and all(c.reason for c in claims)
    assert Entry.objects.filter(meeting=finished, step=steps["2B"]).exists()
    for index in range(3):
        assert Entry.objects.filter(
            meeting=finished, step=steps["3"], question_index=index
        ).exists()
    agreed = Wish.objects.filter(meeting=finished, agreed_rank__isnull=False)
    assert sorted(agreed.values_list("agreed_rank", flat=True)) == [1, 2, 3]
    actions = ActionItem.objects.filter(meeting=finished)
    assert actions.count() >= 3
    assert all(a.who() and a.when() for a in actions)


def test_loading_the_demo_twice_adds_nothing(demo):
    counts = (Meeting.objects.count(), Entry.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Meeting.objects.count(), Entry.objects.count()) == counts


def test_the_demo_prints_its_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "samtalsledare" in out and "samtal-demo-2026" in out and "kommunledning" in out


def test_the_demo_has_a_second_organisation_whose_meeting_sundsvall_cannot_see(demo, client):
    from samtal.organisations.models import Membership

    timra = Meeting.objects.get(theme="Biblioteken")
    assert timra.unit.organisation.name == "Timrå kommun"
    # Eva is kommunledning in Sundsvall only; the consultant facilitator works in both.
    assert not Membership.objects.filter(
        user__username="kommunledning", organisation__name="Timrå kommun"
    ).exists()
    karin = set(
        Membership.objects.filter(user__username="samtalsledare").values_list(
            "organisation__name", flat=True
        )
    )
    assert karin == {"Sundsvalls kommun", "Timrå kommun"}
    from django.contrib.auth.models import User

    client.force_login(User.objects.get(username="kommunledning"))
    assert client.get(f"/samtal/{timra.pk}/").status_code == 403
    assert "Biblioteken" not in client.get("/samtal/").content.decode()
    client.force_login(User.objects.get(username="samtalsledare"))
    page = client.get("/samtal/").content.decode()
    assert "Timrå kommun" in page and 'name="organisation"' in page  # the switcher
