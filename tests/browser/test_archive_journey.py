import re

from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from samtal.actions.links import make_report_token
from samtal.actions.models import ActionItem
from samtal.demo.management.commands.seed_demo import load_demo, read_demo_file
from samtal.meetings.models import Meeting
from tests.browser.conftest import log_in
from tests.factories import default_version, make_user

PASSWORD = "samtal-demo-2026"


def demo():
    cache.clear()
    default_version()
    load_demo(read_demo_file())


def test_kommunledning_searches_opens_the_a3_and_reports_on_an_overdue_action(
    page, live_server, assert_accessible
):
    demo()
    log_in(page, live_server, "kommunledning", assert_accessible, password=PASSWORD)
    assert_accessible(page)

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Arkiv").click()
    expect(page.get_by_role("heading", name=re.compile("Arkiv"), level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Sök i A3:orna").fill("handläggningstiden")
    page.get_by_role("button", name="Sök", exact=True).click()
    results = page.get_by_role("region", name=re.compile("matchar"))
    expect(results).to_contain_text("1 samtal matchar ”handläggningstiden”")
    expect(results.locator("mark").first).to_have_text(re.compile("handläggningstiden", re.I))
    assert_accessible(page)

    results.get_by_role("link", name="Hemtjänst").click()
    expect(page.get_by_role("heading", name=re.compile("Hemtjänst"), level=1)).to_be_visible()
    a3 = page.get_by_role("region", name="A3:an")
    expect(a3.get_by_text(re.compile("Handläggningstiden från ansökan"))).to_be_visible()
    expect(page.get_by_text("Arkiverad A3 – kan inte ändras.")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Ladda ner PDF").click()
    assert info.value.suggested_filename.endswith(".pdf")
    pdf_text = "".join(p.extract_text() for p in PdfReader(info.value.path()).pages)
    assert "Handläggningstiden" in pdf_text

    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Uppföljning").click()
    assert_accessible(page)
    page.get_by_label("Status").select_option(label="Försenade")
    page.get_by_role("button", name="Filtrera").click()
    assert_accessible(page)
    overdue = page.locator(".action-card--overdue")
    expect(overdue).to_have_count(1)
    overdue.get_by_role("link", name=re.compile("Analysera fallrapporterna")).click()
    expect(page.get_by_role("heading", name="Återrapportera åtgärd")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Vad har hänt?").fill("Fallrapporterna är genomgångna med hemsjukvården.")
    page.get_by_label("Ny status").select_option(label="Pågår")
    page.get_by_role("button", name="Spara återrapport").click()
    expect(page.get_by_role("status")).to_contain_text("Återrapporten är sparad.")
    history = page.get_by_role("region", name="Tidigare återrapporter")
    expect(history).to_contain_text("Fallrapporterna är genomgångna med hemsjukvården.")
    assert_accessible(page)
    action = ActionItem.objects.get(what__startswith="Analysera fallrapporterna")
    assert action.status == "pagar"


def test_a_report_without_text_keeps_the_input_and_says_what_is_wrong(
    page, live_server, assert_accessible
):
    demo()
    action = ActionItem.objects.get(what__startswith="Analysera fallrapporterna")
    log_in(page, live_server, "kommunledning", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    page.goto(live_server.url + reverse("actions:detail", args=[action.id]))
    assert_accessible(page)
    page.get_by_label("Datum").fill("2099-01-01")
    page.get_by_role("button", name="Spara återrapport").click()
    expect(page.get_by_role("alert")).to_contain_text("Återrapporten är inte sparad")
    expect(page.get_by_text("Skriv vad som har hänt med åtgärden.")).to_be_visible()
    expect(page.get_by_label("Datum")).to_have_value("2099-01-01")
    assert_accessible(page)


def test_without_the_permission_every_archive_and_board_url_is_403(
    page, live_server, assert_accessible
):
    demo()
    make_user("utomstaende", password=PASSWORD)
    meeting = Meeting.objects.get(theme="Hemtjänst")
    action = ActionItem.objects.filter(meeting=meeting).first()
    log_in(page, live_server, "utomstaende", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    expect(page.get_by_role("link", name="Arkiv")).to_have_count(0)
    expect(page.get_by_role("link", name="Uppföljning")).to_have_count(0)
    for url in (
        reverse("archive:list"),
        reverse("archive:list") + "?q=hemtjänst",
        reverse("archive:meeting", args=[meeting.id]),
        reverse("actions:board"),
        reverse("actions:detail", args=[action.id]),
        reverse("actions:export_csv"),
        reverse("actions:export_xlsx"),
    ):
        response = page.goto(live_server.url + url)
        assert response.status == 403, url
        assert_accessible(page)


def test_a_personal_link_reaches_no_archive_or_board_page(page, live_server, assert_accessible):
    demo()
    action = ActionItem.objects.get(what__startswith="Analysera fallrapporterna")
    owner = action.owners.first()
    link = reverse("participants:action_report", args=[make_report_token(action, owner), action.id])
    page.goto(live_server.url + link)
    expect(page.get_by_role("heading", name="Återrapportera åtgärd")).to_be_visible()
    assert_accessible(page)
    for url in (
        reverse("archive:list"),
        reverse("archive:meeting", args=[action.meeting_id]),
        reverse("actions:board"),
        reverse("actions:detail", args=[action.id]),
    ):
        page.goto(live_server.url + url)
        expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
        assert "Hemtjänst" not in page.content()
        assert_accessible(page)
    # The token does not unlock anything else under /l/ either.
    response = page.goto(live_server.url + link.replace("/atgarder/", "/arkiv/"))
    assert response.status == 404
    assert_accessible(page)


def test_archive_and_board_work_on_a_phone(page, live_server, assert_accessible):
    demo()
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server, "kommunledning", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    for url in (reverse("archive:list") + "?q=hemtjänsten", reverse("actions:board")):
        page.goto(live_server.url + url)
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{url} scrolls sideways on a phone ({width}px)"


def test_a_planned_meeting_shows_the_units_open_actions_for_step_2(
    page, live_server, assert_accessible
):
    import datetime

    from django.contrib.auth.models import User

    demo()
    earlier = Meeting.objects.get(theme="Hemtjänst")
    planned = Meeting.objects.create(
        unit=earlier.unit,
        theme="Hemtjänst, uppföljning",
        date=datetime.date.today() + datetime.timedelta(days=30),
        start_time=datetime.time(9, 0),
        template_version=earlier.template_version,
        created_by=User.objects.get(username="samtalsledare"),
    )
    log_in(page, live_server, "samtalsledare", assert_accessible, password=PASSWORD)
    assert_accessible(page)
    page.goto(live_server.url + reverse("meetings:detail", args=[planned.id]))
    section = page.get_by_role("region", name="Öppna åtgärder från tidigare samtal")
    expect(section.get_by_text(re.compile("Analysera fallrapporterna"))).to_be_visible()
    expect(section.get_by_text("Försenad", exact=True)).to_be_visible()
    expect(section.get_by_text(re.compile("Redovisa samtalet"))).to_have_count(0)  # klar
    assert_accessible(page)
