"""The note-taker in a real meeting (issue 13, findings 1, 2, 6, 7, 9), in a real browser
against uvicorn on PostgreSQL with pushed updates; every page is checked with axe.

Screenshots of the note-taker mid-meeting go to SAMTAL_SHOTS (if set), for looking at."""

import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from samtal.a3 import live
from samtal.a3.models import Entry, Wish
from samtal.actions.models import ActionItem
from samtal.participants.links import make_token
from samtal.participants.models import Preparation, PreparationAnswer
from tests.browser.conftest import log_in
from tests.factories import staffed_meeting

pytestmark = pytest.mark.postgres

LAPTOP = {"width": 1366, "height": 768}
PROJECTOR_LAPTOP = {"width": 1024, "height": 768}
PHONE = {"width": 375, "height": 812}


@pytest.fixture
def live_server(asgi_live_server):
    return asgi_live_server


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


def shoot(page, name):
    folder = os.environ.get("SAMTAL_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def prepared(meeting, name, key, text, reason=""):
    participation = meeting.participations.get(person__name=name)
    preparation, _ = Preparation.objects.get_or_create(participation=participation)
    return PreparationAnswer.objects.create(
        preparation=preparation,
        step=meeting.template_version.steps.get(key=key),
        text=text,
        reason=reason,
    )


def running(at="1"):
    meeting, facilitator, _note_taker = staffed_meeting(days_from_today=0)
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    if at != "1":
        for name in ("Maria Ek", "Olof Berg"):
            participation = meeting.participations.get(person__name=name)
            live.set_present(meeting, facilitator, participation, True)
        go(meeting, at)
    return meeting


def go(meeting, key):
    karin = User.objects.get(username="karin")
    live.move_step(meeting, karin, step_id=meeting.template_version.steps.get(key=key).pk)


def notes_page(page, live_server, meeting, check, viewport=LAPTOP, user="johan"):
    page.set_viewport_size(viewport)
    log_in(page, live_server, user, check)
    check(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/live/anteckna/")
    check(page)
    return page


WIDER = """(width) => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))
    .slice(0, 8)"""


def no_sideways_scroll(page):
    width = page.viewport_size["width"]
    wider = page.evaluate(WIDER, width)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wider


# --- Finding 1 -----------------------------------------------------------------------------


def test_a_prepared_wish_taken_in_shows_in_notes_projector_and_a3(
    page, live_server, new_page, assert_accessible
):
    meeting = running(at="4A")
    prepared(meeting, "Maria Ek", "4A", "Fler fritidsgårdar", "Unga saknar platser")
    notes = notes_page(page, live_server, meeting, assert_accessible)
    projector = new_page(viewport={"width": 1024, "height": 768})
    log_in(projector, live_server, "karin", assert_accessible)
    assert_accessible(projector)
    projector.goto(f"{live_server.url}/samtal/{meeting.pk}/live/")
    assert_accessible(projector)

    notes.get_by_role("button", name=re.compile("Ta in som det är")).click()
    wishes = notes.get_by_role("list", name="Önskningar laget runt")
    expect(wishes.locator(".row__main", has_text="Fler fritidsgårdar")).to_be_visible()
    expect(projector.get_by_text("Fler fritidsgårdar")).to_be_visible()
    expect(notes.get_by_text("Intagen i A3:an")).to_be_visible()
    assert_accessible(notes)
    assert Wish.objects.filter(meeting=meeting, text="Fler fritidsgårdar").count() == 1

    projector.goto(f"{live_server.url}/samtal/{meeting.pk}/live/a3/")
    assert_accessible(projector)
    a3 = projector.get_by_role("region", name="A3:an")
    expect(a3.get_by_role("cell", name=re.compile("Fler fritidsgårdar"))).to_be_visible()
    # The overview's "Just nu" card (the current step) shows it too.
    expect(projector.locator("#just-nu").get_by_text("Fler fritidsgårdar")).to_be_visible()

    # The participant sees that the wish was taken in.
    maria = meeting.participations.get(person__name="Maria Ek")
    projector.goto(f"{live_server.url}/l/{make_token(maria)}/")
    assert_accessible(projector)
    expect(projector.get_by_text("✓ intagen i A3:an")).to_be_visible()


def test_take_in_and_edit_fills_the_row_and_other_results_are_offered(
    page, live_server, assert_accessible
):
    meeting = running(at="2B")
    answer = prepared(meeting, "Olof Berg", "2B", "Lägre sjukfrånvaro")
    prepared(meeting, "Maria Ek", "2B", "Fler sökande till lärartjänster")
    notes = notes_page(page, live_server, meeting, assert_accessible)
    expect(notes.get_by_role("heading", name="Förberett av Olof Berg")).to_be_visible()
    expect(notes.get_by_role("heading", name="Förberett av Maria Ek")).to_be_visible()

    notes.get_by_role("link", name=re.compile("Ta in och ändra.*Lägre sjukfrånvaro")).click()
    field = notes.locator(f"#new-{answer.step_id}-text")
    expect(field).to_have_value("Lägre sjukfrånvaro")
    expect(field).to_be_focused()
    field.press("End")
    field.type(" bland personalen")
    # The step moves on before it is saved and comes back: the draft still is that answer.
    go(meeting, "3")
    expect(notes.get_by_role("heading", name="Reflektion och analys av läget")).to_be_visible()
    go(meeting, "2B")
    expect(field).to_have_value("Lägre sjukfrånvaro bland personalen")
    field.press("Enter")
    rows = notes.get_by_role("list", name="Vilka andra resultat kan vi se?")
    expect(
        rows.locator(".row__main", has_text="Lägre sjukfrånvaro bland personalen")
    ).to_be_visible()
    expect(field).to_have_value("")
    expect(notes.locator(f'[data-live-item="answer-{answer.pk}"]')).to_contain_text(
        "Intagen i A3:an"
    )
    assert_accessible(notes)
    entry = Entry.objects.get(meeting=meeting)
    assert entry.prepared_answer_id == answer.pk
    assert entry.participation.person.name == "Olof Berg"


# --- Finding 2 -----------------------------------------------------------------------------


def test_a_prepared_answer_is_taken_in_once_by_double_click_or_two_note_takers(
    page, live_server, new_page, assert_accessible
):
    meeting = running(at="2A")
    answer = prepared(meeting, "Maria Ek", "2A", "Fler elever läser vidare", "Tre år i rad")
    first = notes_page(page, live_server, meeting, assert_accessible)
    second = new_page(viewport=LAPTOP)
    notes_page(second, live_server, meeting, assert_accessible, user="karin")

    # The second note-taker's page is frozen in time: it still offers the answer.
    second.evaluate("document.querySelector('[data-live]').removeAttribute('hx-ext')")
    take = first.locator(f"#take-{answer.pk}")
    take.dblclick()
    expect(first.get_by_text("Intagen i A3:an")).to_be_visible()
    assert Entry.objects.filter(meeting=meeting).count() == 1

    # Both pages now say it is taken in; a take from a page that still showed the button
    # is refused at that row, in words.
    expect(second.get_by_text("Intagen i A3:an")).to_be_visible()
    csrf = next(c["value"] for c in second.context.cookies() if c["name"] == "csrftoken")
    response = second.request.post(
        f"{live_server.url}/samtal/{meeting.pk}/live/forberedelse/{answer.pk}/ta-in/",
        form={"client_key": "an-other-key-123"},
        headers={"X-CSRFToken": csrf, "X-Live-Fetch": "1"},
    )
    assert response.status == 400
    assert "redan intaget" in response.text()
    assert Entry.objects.filter(meeting=meeting).count() == 1
    assert_accessible(second)


# --- Finding 6 -----------------------------------------------------------------------------


LONG = (
    "Andelen elever som fullföljer gymnasiet inom fyra år har ökat i alla tre skolområden, "
    "och ökningen är störst bland elever med annat modersmål än svenska"
)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "375x812"])
def test_fields_grow_and_the_save_status_sits_at_the_row(
    page, live_server, assert_accessible, viewport
):
    meeting = running(at="2A")
    notes = notes_page(page, live_server, meeting, assert_accessible, viewport=viewport)
    step_id = meeting.template_version.steps.get(key="2A").pk
    field = notes.locator(f"#new-{step_id}-text")
    before = field.bounding_box()["height"]
    field.fill(LONG)
    assert field.bounding_box()["height"] > before * 1.5  # a long claim shows whole
    row_width = notes.locator(f'[data-live-item="new-{step_id}"]').bounding_box()["width"]
    # Half the row at least (text and reason side by side), the whole row on a phone.
    assert field.bounding_box()["width"] > row_width * (0.45 if viewport == LAPTOP else 0.85)
    field.press("Shift+Enter")
    field.type("Andra raden")
    expect(field).to_have_value(LONG + "\nAndra raden")
    form = notes.locator(f'[data-live-item="new-{step_id}"]')
    expect(form.locator("[data-form-status]")).to_have_text("Inte sparat")
    field.press("Enter")
    expect(form.locator("[data-form-status]")).to_have_text("Sparat")
    expect(notes.locator(".row__main", has_text="Andra raden")).to_be_visible()
    assert Entry.objects.get(meeting=meeting).text == LONG + "\nAndra raden"
    # No save status at the top of the page, far from the typing.
    assert notes.locator(".notes__bar [data-save-status]").count() == 0
    status_box = form.locator("[data-form-status]").bounding_box()
    field_box = field.bounding_box()
    assert abs(status_box["y"] - field_box["y"]) < 250
    assert_accessible(notes)

    # Offline: the row says it retries, and saves when the network is back.
    notes.context.set_offline(True)
    field.fill("Skrivet utan nät")
    field.press("Enter")
    expect(form.locator("[data-form-status]")).to_have_text("Inte sparat – försöker igen")
    notes.context.set_offline(False)
    expect(form.locator("[data-form-status]")).to_have_text("Sparat")
    no_sideways_scroll(notes)


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "375x812"])
def test_a_conflict_shows_at_the_row_being_edited(
    page, live_server, new_page, assert_accessible, viewport
):
    meeting = running(at="2A")
    step = meeting.template_version.steps.get(key="2A")
    karin = User.objects.get(username="karin")
    entry = live.add_entry(meeting, karin, step, "Originaltext")
    for i in range(6):
        live.add_entry(meeting, karin, step, f"Påstående nummer {i}")
    mine = notes_page(page, live_server, meeting, assert_accessible, viewport=viewport)
    other = new_page(viewport=viewport)
    notes_page(other, live_server, meeting, assert_accessible, viewport=viewport, user="karin")
    for p in (mine, other):
        p.locator(f'[data-live-item="entry-{entry.pk}"] summary').click()
    mine.locator(f"#e{entry.pk}-text").fill("Antecknarens version")
    other.locator(f"#e{entry.pk}-text").fill("Samtalsledarens version")
    mine.locator(f"#e{entry.pk}-text").press("Enter")
    expect(mine.locator(".row__main", has_text="Antecknarens version")).to_be_visible()
    other.locator(f"#e{entry.pk}-text").press("Enter")

    row = other.locator(f'[data-live-item="entry-{entry.pk}"]')
    conflict = row.get_by_role("group", name="Två ändringar av samma anteckning samtidigt.")
    expect(conflict).to_be_visible()
    expect(conflict.get_by_text("Samtalsledarens version")).to_be_visible()
    expect(row.get_by_role("alert")).to_contain_text("Någon annan ändrade samma text")
    expect(other.locator("[data-live-error]")).to_be_empty()
    assert other.get_by_role("heading", name=re.compile("^Konflikter")).count() == 0
    conflict.scroll_into_view_if_needed()
    box = conflict.bounding_box()
    assert 0 <= box["y"] < viewport["height"]
    no_sideways_scroll(other)
    assert_accessible(other)
    shoot(other, f"conflict-at-row-{viewport['width']}x{viewport['height']}")

    conflict.get_by_role("button", name="Behåll båda").click()
    expect(row.locator(".conflict")).to_have_count(0)
    expect(mine.locator(".row__main", has_text="Samtalsledarens version")).to_be_visible()


# --- Finding 7 -----------------------------------------------------------------------------


def test_an_action_is_changed_in_place_and_actions_and_wishes_are_reordered(
    page, live_server, assert_accessible
):
    meeting = running(at="4A")
    karin = User.objects.get(username="karin")
    four_a = meeting.template_version.steps.get(key="4A")
    live.add_wish(meeting, karin, four_a, "Första önskningen")
    second = live.add_wish(meeting, karin, four_a, "Andra önskningen")
    notes = notes_page(page, live_server, meeting, assert_accessible)

    # Keyboard only: the move button is reached and pressed like any button.
    notes.locator(f"#wearlier-{second.pk}").focus()
    notes.keyboard.press("Enter")
    wishes = notes.get_by_role("list", name="Önskningar laget runt").locator(".row__main")
    expect(wishes).to_have_text(["Andra önskningen", "Första önskningen"])

    go(meeting, "4B")
    four_b = meeting.template_version.steps.get(key="4B")
    item = live.add_action(meeting, karin, four_b, "Ta fram en plan", due_text="v. 12")
    live.add_action(meeting, karin, four_b, "Nyhetsbrev till rektorerna")
    expect(notes.get_by_role("heading", name="Nästa steg")).to_be_visible()
    row = notes.locator(f'[data-live-item="action-{item.pk}"]')
    row.locator("summary").click()
    row.get_by_label("Vad").fill("Ta fram en plan för rekrytering")
    row.get_by_label("Olof Berg").check()
    row.get_by_label("När (datum)").fill("2027-03-01")
    row.get_by_label("När (fritext, t.ex. ”v. 12”)").fill("")
    assert_accessible(notes)
    shoot(notes, "action-edited-in-place-1366x768")
    row.get_by_role("button", name="Spara").click()
    expect(row.locator(".row__reason")).to_have_text("Vem: Olof Berg · När: 2027-03-01")
    expect(row.locator(".row__main")).to_have_text("Ta fram en plan för rekrytering")

    notes.get_by_role("button", name="Flytta upp: Nyhetsbrev till rektorerna").click()
    actions = notes.get_by_role("list", name="Åtgärder").locator(".row__main")
    expect(actions).to_have_text(["Nyhetsbrev till rektorerna", "Ta fram en plan för rekrytering"])
    assert [a.what for a in ActionItem.objects.filter(meeting=meeting)] == [
        "Nyhetsbrev till rektorerna",
        "Ta fram en plan för rekrytering",
    ]
    assert_accessible(notes)


# --- Finding 9 -----------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366x768", "375x812"])
def test_everyone_is_marked_present_in_one_click_and_undone_per_person(
    page, live_server, assert_accessible, viewport
):
    meeting = running()
    notes = notes_page(page, live_server, meeting, assert_accessible, viewport=viewport)
    notes.get_by_role("button", name="Alla närvarande").click()
    for name in ("Karin Lindqvist", "Johan Sjöberg", "Maria Ek", "Olof Berg"):
        button = notes.get_by_role("button", name=re.compile(f"^Närvarande.*{name}"))
        expect(button).to_have_attribute("aria-pressed", "true")
    absent = notes.get_by_role("button", name=re.compile("^Frånvarande.*Olof Berg"))
    absent.click()
    expect(absent).to_have_attribute("aria-pressed", "true")
    maria = notes.get_by_role("button", name=re.compile("^Närvarande.*Maria Ek"))
    expect(maria).to_have_attribute("aria-pressed", "true")
    no_sideways_scroll(notes)
    assert_accessible(notes)
    notes.get_by_role("button", name="Alla närvarande").scroll_into_view_if_needed()
    shoot(notes, f"attendance-all-present-{viewport['width']}x{viewport['height']}")
    present = dict(meeting.participations.values_list("person__name", "present"))
    assert present["Olof Berg"] is False and present["Maria Ek"] is True


# --- Screenshots of the note-taker mid-meeting ----------------------------------------------


@pytest.mark.parametrize(
    "viewport", [LAPTOP, PROJECTOR_LAPTOP, PHONE], ids=["1366x768", "1024x768", "375x812"]
)
def test_the_note_taker_mid_meeting(page, live_server, assert_accessible, viewport):
    meeting = running(at="2A")
    karin = User.objects.get(username="karin")
    step = meeting.template_version.steps.get(key="2A")
    answer = prepared(meeting, "Maria Ek", "2A", "Fler elever läser vidare", "Tre år i rad")
    prepared(meeting, "Maria Ek", "2A", "Tryggheten har ökat", "Elevenkäten 2026")
    live.take_prepared(meeting, karin, answer)
    live.add_entry(
        meeting, karin, step, LONG, "Skolverkets statistik", answer.preparation.participation
    )
    live.park(meeting, karin, "Lokalfrågan i norra området")
    notes = notes_page(page, live_server, meeting, assert_accessible, viewport=viewport)
    field = notes.locator(f"#new-{step.pk}-text")
    field.fill(
        "Fler elever väljer praktiska program, vilket ger bättre matchning mot arbetsmarknaden"
    )
    field.scroll_into_view_if_needed()
    no_sideways_scroll(notes)
    assert_accessible(notes)
    size = f"{viewport['width']}x{viewport['height']}"
    shoot(notes, f"notes-2A-typing-{size}")
    notes.evaluate("window.scrollTo(0, 0)")
    shoot(notes, f"notes-2A-top-{size}")

    # 4A: a prepared wish taken in and edited first, the round's wishes, one agreed.
    four_a = meeting.template_version.steps.get(key="4A")
    wish = prepared(meeting, "Olof Berg", "4A", "Fler fritidsgårdar", "Unga saknar platser")
    prepared(meeting, "Maria Ek", "4A", "Ett nytt badhus", "Simkunnigheten sjunker")
    agreed = live.add_wish(meeting, karin, four_a, "Kortare väntetider i hemtjänsten")
    live.agree_wish(meeting, karin, agreed)
    go(meeting, "4A")
    expect(notes.get_by_role("heading", name="I de bästa av alla världar")).to_be_visible()
    notes.get_by_role("link", name=re.compile("Ta in och ändra.*Ett nytt badhus")).click()
    expect(notes.locator(f"#new-{four_a.pk}-text")).to_have_value("Ett nytt badhus")
    live.take_prepared(meeting, karin, wish)  # Olof's, taken in from the other laptop
    wishes = notes.get_by_role("list", name="Önskningar laget runt")
    expect(wishes.locator(".row__main", has_text="Fler fritidsgårdar")).to_be_visible()
    no_sideways_scroll(notes)
    assert_accessible(notes)
    shoot(notes, f"notes-4A-take-in-and-edit-{size}")
