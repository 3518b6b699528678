"""Organisations in a real browser: an organisation administrator creates a unit and makes a
colleague kommunledning; a note-taker without an account takes notes through the personal
link; a user of another organisation gets nothing of this one's; a consultant switches
organisation in the header."""

import datetime
import re

from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from samtal.a3 import live
from samtal.a3.models import Entry
from samtal.demo.management.commands.seed_demo import load_demo, read_demo_file
from samtal.meetings.models import Meeting, Unit
from samtal.organisations.models import Membership, Organisation
from samtal.participants.links import make_token
from samtal.participants.models import Participation
from tests.browser.conftest import log_in
from tests.factories import add_participant, default_version, make_meeting, make_user

PASSWORD = "samtal-demo-2026"


def demo():
    cache.clear()
    default_version()
    load_demo(read_demo_file())


def test_an_administrator_creates_a_unit_and_makes_a_colleague_kommunledning(
    page, live_server, assert_accessible
):
    demo()
    log_in(page, live_server, "admin", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", name=re.compile("Administration"), level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Hantera enheter").click()
    assert_accessible(page)
    page.get_by_role("button", name="Lägg till enheten").click()  # empty: a clear message
    expect(page.get_by_text("Skriv enhetens namn.")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Namn").fill("Miljönämnden")
    page.get_by_label("Typ").select_option(label="Nämnd")
    page.get_by_role("button", name="Lägg till enheten").click()
    expect(page.get_by_text("Enheten ”Miljönämnden” är tillagd.")).to_be_visible()
    assert_accessible(page)
    assert Unit.objects.get(name="Miljönämnden").organisation.name == ("Sundsvalls kommun")

    page.get_by_role("navigation", name="Administrationens delar").get_by_role(
        "link", name="Personer och roller"
    ).click()
    assert_accessible(page)
    johan = page.locator(".member", has_text="Johan Sjöberg")
    johan.get_by_label("Kommunledning").check()
    johan.get_by_role("button", name=re.compile("Spara roller")).click()
    expect(page.get_by_text("Johan Sjöberg: kommunledning.")).to_be_visible()
    assert_accessible(page)
    member = Membership.objects.get(user__username="antecknare")
    assert member.is_reviewer

    # Johan now reads Sundsvall's archive, and nothing of Timrå's.
    page.get_by_role("button", name="Logga ut").click()
    log_in(page, live_server, "antecknare", assert_accessible, password=PASSWORD)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Arkiv").click()
    expect(page.get_by_role("link", name="Hemtjänst")).to_be_visible()
    expect(page.get_by_text("Biblioteken")).to_have_count(0)
    assert_accessible(page)


def test_a_note_taker_without_an_account_takes_notes_through_the_link(
    page, live_server, assert_accessible
):
    meeting = make_meeting(theme="Biblioteken", days_from_today=0)
    leader = make_user("karin", first_name="Karin")
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR, user=leader)
    writer = add_participant(meeting, "Per Holm", Participation.Role.NOTE_TAKER)
    add_participant(meeting, "Sofia Lund")
    live.start_live(meeting, leader)

    page.goto(f"{live_server.url}/l/{make_token(writer)}/")
    expect(page.get_by_text("Du medverkar som antecknare.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Öppna anteckningsvyn").click()
    expect(page.get_by_role("heading", name=re.compile("Anteckna"), level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Övrig anteckning").fill("Alla var på plats i tid")
    page.get_by_label("Övrig anteckning").press("Enter")
    expect(page.locator("#other-head").locator("..")).to_contain_text("Alla var på plats i tid")
    assert Entry.objects.filter(meeting=meeting, text="Alla var på plats i tid").exists()
    assert_accessible(page)
    # The link gives no more than note-taking: the planning page wants a login.
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/planera/")
    expect(page).to_have_url(re.compile("/logga-in/"))
    assert_accessible(page)


def test_a_user_of_another_organisation_gets_nothing_and_a_consultant_switches(
    page, live_server, assert_accessible
):
    demo()
    sundsvall = Meeting.objects.get(theme="Hemtjänst")
    log_in(page, live_server, "timra", assert_accessible, password=PASSWORD)
    expect(
        page.get_by_text("Du arbetar i Timrå kommun som planerare, kommunledning, administratör.")
    ).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{sundsvall.pk}/")
    expect(
        page.get_by_role(
            "heading", name=re.compile("inte behörighet|Ingen åtkomst|Du har inte", re.I)
        )
    ).to_be_visible()
    assert_accessible(page)
    # Nor anything of Sundsvall's on Timrå's own pages of what came later.
    for path in ["/arkiv/", "/arkiv/?q=Lindqvist", "/uppfoljning/", "/mallar/"]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_text("Hemtjänst")).to_have_count(0)
        expect(page.get_by_text("Karin Lindqvist")).to_have_count(0)
        assert_accessible(page)
    page.get_by_role("button", name="Logga ut").click()

    log_in(page, live_server, "samtalsledare", assert_accessible, password=PASSWORD)
    expect(page.get_by_role("link", name=re.compile("Grundskola"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Biblioteken"))).to_have_count(0)
    assert_accessible(page)
    page.get_by_label("Organisation du arbetar i").select_option(label="Timrå kommun")
    page.get_by_role("button", name="Byt").click()
    expect(page.get_by_text("Du arbetar nu i Timrå kommun.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Biblioteken"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Grundskola"))).to_have_count(0)
    assert_accessible(page)


def test_a_planner_adds_a_unit_while_planning_when_the_administrator_allows_it(
    page, live_server, assert_accessible
):
    demo()
    sundsvall = Organisation.objects.get(name="Sundsvalls kommun")
    sundsvall.planners_may_add_units = True
    sundsvall.save()
    log_in(page, live_server, "samtalsledare", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    page.get_by_role("link", name="Nytt samtal").click()
    assert_accessible(page)
    page.get_by_label("Tema").fill("Parker och lekplatser")
    page.get_by_label("Datum").fill((timezone.localdate() + datetime.timedelta(days=9)).isoformat())
    page.get_by_label("Starttid").fill("13:00")
    page.get_by_label("Plats").fill("Stadshuset, sal 2")
    page.get_by_role("button", name="Skapa samtalet").click()  # no unit: a clear message
    expect(page.get_by_text("Välj vilken nämnd, förvaltning eller vilket bolag")).to_be_visible()
    expect(page.get_by_label("Tema")).to_have_value("Parker och lekplatser")  # kept
    assert_accessible(page)
    page.get_by_label("Eller lägg till en ny enhet").fill("Samhällsbyggnadsnämnden")
    page.get_by_label("Den nya enhetens typ").select_option(label="Nämnd")
    page.get_by_role("button", name="Skapa samtalet").click()
    expect(page.get_by_role("heading", name=re.compile("Planera samtalet"))).to_be_visible()
    assert_accessible(page)
    meeting = Meeting.objects.get(theme="Parker och lekplatser")
    assert meeting.unit.name == "Samhällsbyggnadsnämnden"
    assert meeting.unit.organisation == sundsvall

    # Without the administrator's leave the field is not offered.
    sundsvall.planners_may_add_units = False
    sundsvall.save()
    page.goto(f"{live_server.url}/samtal/nytt/")
    expect(page.get_by_label("Eller lägg till en ny enhet")).to_have_count(0)
    assert_accessible(page)


def test_the_facilitator_hands_the_note_taking_to_someone_else_during_the_meeting(
    page, live_server, assert_accessible
):
    meeting = make_meeting(theme="Biblioteken", days_from_today=0)
    leader = make_user("karin", first_name="Karin")
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR, user=leader)
    writer = add_participant(meeting, "Per Holm", Participation.Role.NOTE_TAKER)
    sofia = add_participant(meeting, "Sofia Lund")
    live.start_live(meeting, leader)

    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/live/anteckna/")
    handing = page.locator("[data-live-item=hand-notes]")
    expect(handing.get_by_role("heading", name="Lämna över anteckningen")).to_be_visible()
    assert_accessible(page)
    # A change first: the side column is then what the live feed brought, which is shared by
    # every viewer and carries no one's CSRF token.
    page.get_by_label("Övrig anteckning").fill("Före överlämningen")
    page.get_by_label("Övrig anteckning").press("Enter")
    expect(page.locator("#other-head").locator("..")).to_contain_text("Före överlämningen")
    handing.get_by_label("Ny antecknare").select_option(label="Sofia Lund")
    handing.get_by_role("button", name="Lämna över").click()
    expect(page.get_by_text("Sofia Lund antecknar nu.")).to_be_visible()
    assert_accessible(page)
    writer.refresh_from_db()
    sofia.refresh_from_db()
    assert (writer.role, sofia.role) == (
        Participation.Role.PARTICIPANT,
        Participation.Role.NOTE_TAKER,
    )
    page.get_by_role("button", name="Logga ut").click()

    # Sofia, without an account, now writes through her link; Per's link no longer does.
    page.goto(f"{live_server.url}/l/{make_token(sofia)}/")
    expect(page.get_by_text("Du medverkar som antecknare.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Öppna anteckningsvyn").click()
    page.get_by_label("Övrig anteckning").fill("Sofia tar över anteckningen")
    page.get_by_label("Övrig anteckning").press("Enter")
    expect(page.locator("#other-head").locator("..")).to_contain_text("Sofia tar över")
    assert_accessible(page)
    page.goto(f"{live_server.url}/l/{make_token(writer)}/")
    expect(page.get_by_role("link", name="Öppna anteckningsvyn")).to_have_count(0)
    assert_accessible(page)
