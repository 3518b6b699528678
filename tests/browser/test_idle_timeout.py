"""A session idle for too long: the page warns first, "Fortsätt" keeps it, and when it ends
what was typed comes back after logging in again."""

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import make_unit, make_user


def test_the_warning_keeps_the_session_and_the_typed_text_survives_the_logout(
    page, live_server, assert_accessible, settings
):
    settings.SESSION_IDLE_TIMEOUT = 24
    make_unit()
    make_user("karin", first_name="Karin", last_name="Lindqvist")
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(live_server.url + reverse("meetings:create"))
    assert_accessible(page)
    page.get_by_label("Tema").fill("Äldreomsorgens kvalitet")

    warning = page.get_by_role("alert").filter(has_text="Du loggas snart ut")
    expect(warning).to_be_visible(timeout=30_000)
    assert_accessible(page)
    page.get_by_role("button", name="Fortsätt vara inloggad").click()
    expect(warning).to_be_hidden()

    # Nothing more happens: the session ends and the login page explains why.
    page.wait_for_url("**/logga-in/?inaktiv=1*", timeout=40_000)
    expect(page.get_by_text("Du loggades ut efter en stund utan aktivitet")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Användarnamn").fill("karin")
    page.get_by_label("Lösenord").fill("rätt-lösenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url("**" + reverse("meetings:create"))
    expect(page.get_by_label("Tema")).to_have_value("Äldreomsorgens kvalitet")
    expect(page.get_by_text("Det du skrev innan du loggades ut har fyllts i igen")).to_be_visible()
    assert_accessible(page)
