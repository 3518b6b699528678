import re

from playwright.sync_api import expect

from samtal.demo.management.commands.seed_demo import load_demo, read_demo_file
from tests.browser.conftest import log_in
from tests.factories import default_version


def test_facilitator_logs_in_sees_my_meetings_and_opens_the_finished_a3(
    page, live_server, assert_accessible
):
    default_version()
    load_demo(read_demo_file())

    log_in(page, live_server, "samtalsledare", assert_accessible, password="samtal-demo-2026")

    expect(page.get_by_role("heading", name="Mina samtal", level=1)).to_be_visible()
    assert_accessible(page)
    upcoming = page.get_by_role("region", name="Kommande")
    expect(upcoming.get_by_role("link", name="Grundskola")).to_be_visible()
    expect(upcoming.get_by_role("link", name="Origoparken")).to_be_visible()
    finished = page.get_by_role("region", name="Avslutade")
    finished.get_by_role("link", name="Hemtjänst").click()

    expect(page.get_by_role("heading", name=re.compile("Hemtjänst"), level=1)).to_be_visible()
    assert_accessible(page)
    a3 = page.get_by_role("region", name="A3:an")
    expect(a3.get_by_role("heading", name="2. Dåtid")).to_be_visible()
    expect(a3.get_by_text("Överenskomna önskningar")).to_be_visible()
    expect(a3.locator(".a3-agreed li")).to_have_count(3)
    expect(a3.get_by_role("columnheader", name="Det här visar på nytta")).to_be_visible()
    expect(a3.get_by_text("Vilka resultat visar på nytta för Sundsvallsbon")).to_be_visible()


def test_wrong_password_gets_a_swedish_message(page, live_server, assert_accessible):
    from tests.factories import make_user

    make_user("karin")
    log_in(page, live_server, "karin", assert_accessible, password="fel")
    expect(page.get_by_role("alert")).to_contain_text("Ange ett korrekt användarnamn och lösenord")
    assert_accessible(page)


def test_my_meetings_and_the_a3_are_usable_on_a_phone(page, live_server, assert_accessible):
    default_version()
    load_demo(read_demo_file())
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server, "samtalsledare", assert_accessible, password="samtal-demo-2026")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name="Hemtjänst").click()
    expect(page.get_by_role("heading", name="A3:an")).to_be_visible()
    assert_accessible(page)
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375, f"the A3 scrolls sideways on a phone ({scroll_width}px)"
