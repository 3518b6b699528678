"""Issue 19 in a real browser: after the meeting, the participant's way back, the
handlingsplan, återrapportering, finding a person, and the Excel export."""

import datetime
import io
import re

from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from samtal.actions.models import ActionItem, FollowUp, ReportBack
from samtal.demo.management.commands.seed_demo import load_demo, read_demo_file
from samtal.meetings.models import Meeting
from samtal.participants.links import make_token
from samtal.participants.models import Participation
from tests.browser.conftest import log_in
from tests.factories import add_participant, default_version, make_meeting

PASSWORD = "samtal-demo-2026"


def demo():
    cache.clear()
    default_version()
    load_demo(read_demo_file())
    return Meeting.objects.get(status=Meeting.Status.FINISHED)


def test_a_participant_opens_their_link_after_the_meeting_and_reports_on_their_action(
    page, live_server, assert_accessible
):
    hemtjanst = demo()
    helena = hemtjanst.participations.get(person__name="Helena Strand")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("participants:preparation", args=[make_token(helena)]))
    expect(page.get_by_text("Efter samtalet", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Hemtjänst"), level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Hur länge länken fungerar")).to_contain_text(
        "Din personliga länk fungerar till och med"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Läs A3:an").click()
    expect(page.get_by_text(re.compile("Handläggningstiden från ansökan")).first).to_be_visible()
    assert_accessible(page)
    page.go_back()
    assert_accessible(page)

    mine = page.get_by_role("region", name="Dina åtgärder")
    expect(mine).to_contain_text("Ta fram en analys av kostnadsutvecklingen")
    mine.get_by_role(
        "link", name=re.compile("Rapportera hur det går.*kostnadsutvecklingen")
    ).click()
    expect(page.get_by_role("heading", name="Återrapportera åtgärd")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Vad har hänt?").fill("Ekonomienheten har tagit fram underlaget.")
    page.get_by_label("Ny status").select_option(label="Pågår")
    page.get_by_role("button", name="Spara återrapport").click()
    history = page.get_by_role("region", name="Tidigare återrapporter")
    expect(history).to_contain_text("Ekonomienheten har tagit fram underlaget.")
    expect(history).to_contain_text("Helena Strand")
    assert_accessible(page)
    report = FollowUp.objects.get(text="Ekonomienheten har tagit fram underlaget.")
    assert report.reporter == helena.person

    page.get_by_role("link", name=re.compile("Tillbaka till din sida")).click()
    expect(page.get_by_role("region", name="Dina åtgärder")).to_contain_text(
        "Ekonomienheten har tagit fram underlaget."
    )
    assert_accessible(page)


def test_the_handlingsplan_is_issued_reported_on_noted_and_opens_the_next_meeting(
    page, live_server, assert_accessible, new_page
):
    hemtjanst = demo()
    log_in(page, live_server, "samtalsledare", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    page.goto(live_server.url + reverse("meetings:detail", args=[hemtjanst.pk]))
    assert_accessible(page)
    page.get_by_role("navigation", name="Efter samtalet").get_by_role(
        "link", name="Handlingsplan"
    ).click()
    expect(page.get_by_role("heading", name=re.compile("Handlingsplan"), level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Kommentar till handlingsplanen (frivillig)").fill(
        "Följs upp på nämndens sammanträde i mars."
    )
    page.get_by_role("button", name="Utfärda handlingsplanen").click()
    expect(page.get_by_role("status")).to_contain_text("Handlingsplanen är utfärdad")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner handlingsplanen (PDF)").click()
    reader = PdfReader(info.value.path())
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Handlingsplan" in text and "Analysera fallrapporterna" in text
    assert round(float(reader.pages[0].mediabox.width)) == 595

    # The owner reports on an uppdrag (a report link, as in the reminder email).
    owner_action = ActionItem.objects.get(what__startswith="Analysera fallrapporterna")
    owner = owner_action.owners.first()
    owner_page = new_page()
    owner_page.goto(live_server.url + reverse("participants:preparation", args=[make_token(owner)]))
    assert_accessible(owner_page)
    owner_page.get_by_role(
        "link", name=re.compile("Rapportera hur det går.*fallrapporterna")
    ).click()
    assert_accessible(owner_page)
    owner_page.get_by_label("Vad har hänt?").fill("Fallrapporterna är analyserade.")
    owner_page.get_by_label("Ny status").select_option(label="Klar")
    owner_page.get_by_role("button", name="Spara återrapport").click()
    expect(owner_page.get_by_role("region", name="Tidigare återrapporter")).to_contain_text(
        "Fallrapporterna är analyserade."
    )
    assert_accessible(owner_page)

    # The facilitator gathers the unit's reports into an återrapportering.
    page.get_by_role("link", name="Enhetens återrapporteringar").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sammanställ återrapportering").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Återrapportering")
    expect(page.locator("main")).to_contain_text("Fallrapporterna är analyserade.")
    assert_accessible(page)
    report_back = ReportBack.objects.get()

    # Kommunledning notes it.
    reviewer = new_page()
    log_in(reviewer, live_server, "kommunledning", assert_accessible, password=PASSWORD)
    assert_accessible(reviewer)
    reviewer.goto(live_server.url + reverse("archive:report_back", args=[report_back.pk]))
    assert_accessible(reviewer)
    reviewer.get_by_role("button", name="Markera som antecknad").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Återrapporteringen är antecknad")
    assert_accessible(reviewer)
    report_back.refresh_from_db()
    assert report_back.noted_on is not None

    # The unit's next meeting opens with it.
    karin = hemtjanst.participations.get(role=Participation.Role.FACILITATOR).person
    following = make_meeting("Hemtjänst våren", unit=hemtjanst.unit, days_from_today=30)
    add_participant(
        following, karin.name, Participation.Role.FACILITATOR, user=karin.user, email=karin.email
    )
    page.goto(live_server.url + reverse("meetings:detail", args=[following.pk]))
    card = page.get_by_role("region", name="Återrapportering sedan förra samtalet")
    expect(card).to_contain_text("Antecknad av kommunledningen")
    assert_accessible(page)
    card.get_by_role("link", name="Läs återrapporteringen").click()
    expect(page.locator("main")).to_contain_text("Fallrapporterna är analyserade.")
    assert_accessible(page)


def test_kommunledning_finds_a_person_and_exports_excel_with_date_cells(
    page, live_server, assert_accessible
):
    demo()
    log_in(page, live_server, "kommunledning", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Arkiv").click()
    assert_accessible(page)
    page.get_by_label("Sök i A3:orna").fill("Helena Strand")
    page.get_by_role("button", name="Sök", exact=True).click()
    people = page.get_by_role("region", name=re.compile("person matchar"))
    expect(people.locator("mark").first).to_have_text("Helena")
    assert_accessible(page)
    people.get_by_role("link", name="Helena Strand").click()
    expect(page.get_by_role("heading", name=re.compile("Helena Strand"), level=1)).to_be_visible()
    expect(page.get_by_role("region", name=re.compile("Ansvarar för"))).to_contain_text(
        "Ta fram en analys av kostnadsutvecklingen"
    )
    assert_accessible(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Excel")).click()
    assert info.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    header = [cell.value for cell in sheet[1]]
    due = header.index("När (datum)")
    dated = [row[due] for row in sheet.iter_rows(min_row=2) if row[due].value is not None]
    assert dated and all(cell.is_date for cell in dated)
    assert all(isinstance(cell.value, datetime.datetime) for cell in dated)
