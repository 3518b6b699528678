"""Live meeting v2 in real browsers, under uvicorn on PostgreSQL: changes pushed to every
device, no word lost or doubled, the step on every screen, the fallback poll."""

import re
import time

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from samtal.a3 import live
from samtal.a3.models import Entry, ParkingLotItem
from samtal.conversation_templates.models import Step
from tests.browser.conftest import log_in
from tests.factories import staffed_meeting

pytestmark = pytest.mark.postgres


@pytest.fixture
def live_server(asgi_live_server):
    return asgi_live_server


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


@pytest.fixture
def meeting():
    meeting, facilitator, _note_taker = staffed_meeting(days_from_today=0)
    live.start_live(meeting, facilitator)
    return meeting


def claims_step(meeting):
    return meeting.template_version.steps.get(record_kind=Step.RecordKind.CLAIMS)


def open_notes(page, server, meeting, username, check):
    log_in(page, server, username, check)
    check(page)
    page.goto(f"{server.url}/samtal/{meeting.pk}/live/anteckna/")
    check(page)
    return page


def open_projector(page, server, meeting, check):
    log_in(page, server, "karin", check)
    check(page)
    page.goto(f"{server.url}/samtal/{meeting.pk}/live/")
    check(page)
    return page


def other_notes(page):
    return page.get_by_role("list", name="Övriga anteckningar")


def other_row(page, text):
    return other_notes(page).locator(".row__main", has_text=text)


def parked(page, text):
    return page.locator("[data-live-item=parking-list] .row__text", has_text=text)


def test_a_change_appears_on_the_other_note_taker_and_the_projector(
    page, live_server, new_page, assert_accessible, meeting
):
    johan = open_notes(page, live_server, meeting, "johan", assert_accessible)
    karin = open_notes(new_page(), live_server, meeting, "karin", assert_accessible)
    projector = open_projector(new_page(), live_server, meeting, assert_accessible)

    johan.locator("#new-other-text").fill("Johan skrev det här")
    johan.locator("#new-other-text").press("Enter")
    expect(other_row(karin, "Johan skrev det här")).to_be_visible()
    karin.locator("#new-parking-text").fill("Karins parkerade fråga")
    karin.locator("#new-parking-text").press("Enter")
    expect(parked(johan, "Karins parkerade fråga")).to_be_visible()
    projector.keyboard.press("ArrowRight")
    step = claims_step(meeting)
    for p in (johan, karin):
        expect(p.get_by_role("heading", level=2, name=step.title)).to_be_visible()
    # What the projector shows of the step moves along too.
    johan.locator(f"#new-{step.pk}-text").fill("Syns på projektorn")
    johan.locator(f"#new-{step.pk}-text").press("Enter")
    expect(projector.get_by_text("Syns på projektorn").first).to_be_visible()
    for p in (johan, karin, projector):
        assert_accessible(p)


def test_double_submit_and_concurrent_adds_store_one_row(
    page, live_server, new_page, assert_accessible, meeting
):
    johan = open_notes(page, live_server, meeting, "johan", assert_accessible)
    karin = open_notes(new_page(), live_server, meeting, "karin", assert_accessible)

    johan.locator("#new-other-text").fill("Dubbelklickad")
    johan.locator("#new-other-text").locator("xpath=ancestor::form").get_by_role(
        "button", name=re.compile("Spara")
    ).dblclick()
    expect(other_row(karin, "Dubbelklickad")).to_be_visible()

    field = johan.locator("#new-parking-text")
    field.fill("Enter två gånger")
    field.press("Enter")
    field.press("Enter")
    expect(parked(karin, "Enter två gånger")).to_be_visible()

    # Two POSTs of one add at the same moment (a retry racing the original).
    statuses = johan.evaluate(
        """async () => {
            const form = document.querySelector("#new-other-text").form;
            const data = new FormData(form);
            data.set("text", "Samtidigt två gånger");
            data.set("client_key", "samtidig-nyckel-123");
            const headers = {"X-Live-Fetch": "1",
                             "X-CSRFToken": document.querySelector("[data-live]").dataset.csrf};
            const post = () => fetch(form.action, {method: "POST", body: data, headers});
            return (await Promise.all([post(), post(), post()])).map(r => r.status);
        }"""
    )
    assert statuses == [204, 204, 204]
    expect(other_row(karin, "Samtidigt två gånger")).to_be_visible()
    time.sleep(1)  # anything doubled would have arrived by now
    assert Entry.objects.filter(meeting=meeting, text="Dubbelklickad").count() == 1
    assert Entry.objects.filter(meeting=meeting, text="Samtidigt två gånger").count() == 1
    assert ParkingLotItem.objects.filter(meeting=meeting, text="Enter två gånger").count() == 1
    expect(other_row(johan, "Dubbelklickad")).to_have_count(1)
    assert_accessible(johan)


def test_an_edit_of_a_row_someone_deletes_keeps_the_edited_text(
    page, live_server, new_page, assert_accessible, meeting
):
    karin_user = User.objects.get(username="karin")
    entry = live.add_entry(meeting, karin_user, None, "Ursprunglig text")
    karin = open_notes(page, live_server, meeting, "karin", assert_accessible)
    johan = open_notes(new_page(), live_server, meeting, "johan", assert_accessible)

    other_notes(karin).get_by_text("Ändra").click()
    karin.locator(f"#e{entry.pk}-text").fill("Karins ändrade text")
    other_notes(johan).get_by_text("Ändra").click()
    other_notes(johan).get_by_role("button", name="Ta bort").click()
    expect(other_row(johan, "Ursprunglig text")).to_have_count(0)
    time.sleep(0.5)  # the deletion has reached Karin's screen: her row stays, marked
    expect(karin.locator(f"#e{entry.pk}-text")).to_have_value("Karins ändrade text")
    karin.locator(f"#e{entry.pk}-text").press("Enter")
    expect(karin.locator("[data-save-status]")).to_have_text("Sparat")
    for p in (karin, johan):
        expect(other_row(p, "Karins ändrade text")).to_have_count(1)
    assert list(Entry.objects.filter(meeting=meeting).values_list("text", flat=True)) == [
        "Karins ändrade text"
    ]
    assert_accessible(karin)


def test_a_server_failing_for_ten_seconds_loses_no_word(
    page, live_server, assert_accessible, meeting
):
    johan = open_notes(page, live_server, meeting, "johan", assert_accessible)
    failing_until = time.monotonic() + 10
    failed = []

    def fail_for_a_while(route):
        if time.monotonic() < failing_until:
            failed.append(route.request.url)
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error</h1>")
        else:
            route.continue_()

    johan.route(re.compile(r"/live/(anteckning|parkering)/ny/$"), fail_for_a_while)
    johan.locator("#new-other-text").fill("Första ordet")
    johan.locator("#new-other-text").press("Enter")
    status = johan.locator("[data-save-status]")
    expect(status).to_have_text("Inte sparat – försöker igen")
    own = (
        johan.locator("#new-other-text")
        .locator("xpath=ancestor::form")
        .locator("[data-form-status]")
    )
    expect(own).to_have_text("Inte sparat – försöker igen")
    johan.locator("#new-parking-text").fill("Andra ordet")
    johan.locator("#new-parking-text").press("Enter")
    expect(johan.get_by_text("Server Error")).to_have_count(0)
    assert_accessible(johan)

    expect(status).to_have_text("Sparat", timeout=30_000)
    expect(other_row(johan, "Första ordet")).to_be_visible(timeout=30_000)
    expect(parked(johan, "Andra ordet")).to_be_visible(timeout=30_000)
    assert len(failed) >= 4
    assert Entry.objects.filter(meeting=meeting, text="Första ordet").count() == 1
    assert ParkingLotItem.objects.filter(meeting=meeting, text="Andra ordet").count() == 1


def test_the_step_moves_on_every_screen_whatever_has_focus(
    page, live_server, new_page, assert_accessible, meeting
):
    karin_user = User.objects.get(username="karin")
    live.move_step(meeting, karin_user, "next")
    claims = claims_step(meeting)
    steps = list(meeting.template_version.steps.all())
    following = steps[steps.index(claims) + 1]
    johan = open_notes(page, live_server, meeting, "johan", assert_accessible)
    projector = open_projector(new_page(), live_server, meeting, assert_accessible)

    # The note-taker saved with Enter: the field is empty and keeps the cursor.
    field = johan.locator(f"#new-{claims.pk}-text")
    field.fill("Sparad med Enter")
    field.press("Enter")
    expect(projector.get_by_text("Sparad med Enter").first).to_be_visible()
    expect(field).to_be_focused()
    expect(field).to_have_value("")

    projector.keyboard.press("ArrowRight")
    expect(johan.get_by_role("heading", level=2, name=following.title)).to_be_visible()
    expect(johan.get_by_role("heading", level=2, name=claims.title)).to_have_count(0)
    expect(johan.locator(f"#new-{claims.pk}-text")).to_have_count(0)
    assert_accessible(johan)

    # Unsaved text stays as a draft of the step it was typed in.
    projector.keyboard.press("ArrowLeft")
    expect(johan.get_by_role("heading", level=2, name=claims.title)).to_be_visible()
    johan.locator(f"#new-{claims.pk}-text").fill("Inte sparat ännu")
    projector.keyboard.press("ArrowRight")
    expect(johan.get_by_role("heading", level=2, name=following.title)).to_be_visible()
    expect(johan.get_by_role("heading", level=2, name=claims.title)).to_have_count(0)
    projector.keyboard.press("ArrowLeft")
    expect(johan.locator(f"#new-{claims.pk}-text")).to_have_value("Inte sparat ännu")


def test_a_blocked_stream_falls_back_to_polling_and_keeps_working(
    page, live_server, new_page, assert_accessible, meeting
):
    for p in (page,):
        p.route(re.compile(r"/live/strom"), lambda route: route.abort())
    projector_page = new_page()
    projector_page.route(re.compile(r"/live/strom"), lambda route: route.abort())
    johan = open_notes(page, live_server, meeting, "johan", assert_accessible)
    projector = open_projector(projector_page, live_server, meeting, assert_accessible)
    karin = open_notes(new_page(), live_server, meeting, "karin", assert_accessible)

    # The facilitator sees which mode the room is in; nobody else is bothered with it.
    expect(projector.locator("[data-connection]")).to_contain_text("frågar efter ändringar")
    karin.locator("#new-other-text").fill("Kommer fram ändå")
    karin.locator("#new-other-text").press("Enter")
    expect(other_row(johan, "Kommer fram ändå")).to_be_visible()
    johan.locator("#new-other-text").fill("Och tillbaka")
    johan.locator("#new-other-text").press("Enter")
    expect(other_row(karin, "Och tillbaka")).to_be_visible()
    projector.keyboard.press("ArrowRight")
    expect(johan.get_by_role("heading", level=2, name=claims_step(meeting).title)).to_be_visible()
    assert_accessible(projector)
    assert_accessible(johan)

    # The network lets streams through again: the device goes back to its stream by itself
    # (it tries after 10 s) and changes keep coming.
    page.unroute(re.compile(r"/live/strom"))
    projector_page.unroute(re.compile(r"/live/strom"))
    mode = projector.locator("[data-connection]")
    expect(mode).to_have_attribute("data-mode", "stream", timeout=30_000)
    expect(mode).to_be_empty()
    karin.locator("#new-other-text").fill("Nu via strömmen")
    karin.locator("#new-other-text").press("Enter")
    expect(other_row(johan, "Nu via strömmen")).to_be_visible()


def test_a_button_pressed_while_the_server_fails_is_retried_and_done_once(
    page, live_server, assert_accessible, meeting
):
    projector = open_projector(page, live_server, meeting, assert_accessible)
    steps = list(meeting.template_version.steps.all())
    failing_until = time.monotonic() + 5
    failed = []

    def fail_for_a_while(route):
        if time.monotonic() < failing_until:
            failed.append(route.request.url)
            route.fulfill(status=502, content_type="text/html", body="<h1>Bad Gateway</h1>")
        else:
            route.continue_()

    projector.route(re.compile(r"/live/steg/$"), fail_for_a_while)
    projector.keyboard.press("ArrowRight")
    status = projector.locator("[data-live-error]")
    expect(status).to_have_text("Inte sparat – försöker igen")
    assert_accessible(projector)
    expect(status).to_be_empty(timeout=30_000)
    expect(projector.get_by_text(f"steg 2 av {len(steps)}")).to_be_visible()
    assert len(failed) >= 2
    meeting.live.refresh_from_db()
    assert meeting.live.current_step_id == steps[1].pk
