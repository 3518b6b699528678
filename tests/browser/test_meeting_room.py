"""The meeting room, projector side (issue 13, findings 3, 4, 5, 8, 10, 11), in real browsers:
the facilitator's projector at a municipal projector's 1024×768 and at 1920×1080, phones at
375×812. Every page gets an axe check; screenshots go to SHOTS for a person to look at.

The app runs under uvicorn on PostgreSQL, as in production: changes are pushed."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from samtal.a3 import live
from samtal.a3.live_models import EditConflict, StepTimer
from samtal.actions.models import ActionItem
from samtal.evaluations.models import PerspectiveRound
from samtal.meetings.models import Meeting
from samtal.participants.links import make_token
from tests.browser.conftest import log_in
from tests.factories import add_participant, make_meeting, staffed_meeting

pytestmark = pytest.mark.postgres

SHOTS = Path(os.environ.get("SAMTAL_SHOTS", "/work/shots/room"))
PROJECTOR_SIZES = ({"width": 1024, "height": 768}, {"width": 1920, "height": 1080})
PHONE = {"width": 375, "height": 812}

# Words the browser split over two lines inside the element (a mid-word break).
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, re = /\\S+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture
def live_server(asgi_live_server):
    return asgi_live_server


@pytest.fixture(autouse=True)
def patient_expectations():
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


def shot(page, name, full_page=False):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def room_meeting():
    """A meeting under way at step 1, with a long-named politician, an earlier meeting's open
    action, and an edit conflict the room must never see."""
    meeting, facilitator, _ = staffed_meeting(days_from_today=0, theme="Grundskolans resultat")
    add_participant(
        meeting, "Anna-Karin Lindström", title="Ledamot i budgetberedningen", present=True
    )
    meeting.participations.filter(role="deltagare").update(present=True)
    earlier = make_meeting(
        theme="Förra årets samtal",
        unit=meeting.unit,
        days_from_today=-300,
        status=Meeting.Status.FINISHED,
    )
    ActionItem.objects.create(
        meeting=earlier, what="Ta fram nyckeltal för närvaro", due_text="v. 12"
    )
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    EditConflict.objects.create(
        meeting=meeting, kind="entry", object_id=1, stored_text="a", other_text="b"
    )
    return meeting, facilitator


def open_projector(page, live_server, check, meeting, size):
    page.set_viewport_size(size)
    log_in(page, live_server, "karin", check)
    check(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/live/")
    check(page)


def key_of(page):
    return page.locator(".proj__key").inner_text()


# --- Finding 4: the question is the hero ----------------------------------------------


def test_the_projector_puts_the_question_first_at_every_step(page, live_server, assert_accessible):
    meeting, facilitator = room_meeting()
    keys = [s.key for s in meeting.template_version.steps.all()]
    open_projector(page, live_server, assert_accessible, meeting, PROJECTOR_SIZES[0])

    for size in PROJECTOR_SIZES:
        page.set_viewport_size(size)
        order = keys if size["width"] == 1024 else list(reversed(keys))
        for index, key in enumerate(order):
            if index:
                page.keyboard.press("ArrowRight" if size["width"] == 1024 else "ArrowLeft")
            expect(page.locator(".proj__key")).to_have_text(key)
            question = page.locator(".proj__question")
            expect(question).to_be_visible()
            sizes = page.evaluate(
                """() => {
                  const q = getComputedStyle(document.querySelector('.proj__question'));
                  const t = getComputedStyle(document.querySelector('.proj__title'));
                  return {question: parseFloat(q.fontSize), title: parseFloat(t.fontSize),
                          color: q.color, weight: q.fontWeight};
                }"""
            )
            # Readable at 5 m on a 1024×768 projector: the largest text on the screen.
            assert sizes["question"] >= 26, sizes
            assert sizes["question"] > sizes["title"], sizes
            assert sizes["color"] == "rgb(13, 16, 20)" and int(sizes["weight"]) >= 600
            broken = page.evaluate(
                BROKEN_WORDS, ".proj__question, .proj__content .role, .proj__side, .progress"
            )
            assert not broken, f"{key} at {size}: words broken mid-word: {broken}"
            # Editing chrome never reaches the room.
            text = page.locator("main").inner_text()
            assert "konflikt" not in text.lower(), key
            progress = page.get_by_role("navigation", name="Samtalets steg")
            expect(progress.locator("li")).to_have_count(len(keys))
            expect(progress.locator("li[aria-current=step]")).to_contain_text(key)
            if key == "1":
                expect(page.get_by_role("heading", name="Regler för mötet")).to_be_visible()
                expect(page.get_by_text("Stäng av mobilen")).to_be_visible()
                expect(page.get_by_role("heading", name="Upplägg")).to_be_visible()
                role = page.locator(".proj__content .role").first
                assert float(role.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 14
            if index in (0, len(order) - 1) or size["width"] == 1024:
                assert_accessible(page)
            shot(page, f"projector-{key}-{size['width']}x{size['height']}")

    # At 200 % zoom on the 1024×768 projector the timer stays in view, also scrolled down.
    page.keyboard.press("ArrowRight")  # 2A: a long step
    page.set_viewport_size({"width": 512, "height": 384})
    timer = page.locator("[data-timer]")
    expect(timer).to_be_in_viewport(ratio=0.9)
    page.mouse.wheel(0, 2000)
    page.wait_for_timeout(300)
    expect(timer).to_be_in_viewport(ratio=0.9)
    shot(page, "projector-2A-1024x768-zoom200")
    assert_accessible(page)


# --- Finding 5: the timer says what it measures ---------------------------------------


def test_the_timer_box_says_what_it_measures_and_each_step_keeps_its_minutes(
    page, live_server, assert_accessible
):
    meeting, facilitator = room_meeting()
    open_projector(page, live_server, assert_accessible, meeting, PROJECTOR_SIZES[0])
    timer = page.locator("[data-timer]")
    expect(timer.locator(".timer__label")).to_have_text("Kvar av steget")
    expect(page.locator("[data-meeting-time]")).to_contain_text("Samtalet: 0 av 110 min")
    assert "Använt" not in page.locator("main").inner_text()
    page.keyboard.press(" ")
    expect(timer.locator(".timer__state")).to_have_text("Tiden går")

    # Eight minutes into the five-minute step 1: over by three.
    now = timezone.now()
    StepTimer.objects.filter(session__meeting=meeting).update(
        started_at=now - datetime.timedelta(minutes=8),
        running_since=now - datetime.timedelta(minutes=8),
        planned_end=now - datetime.timedelta(minutes=3, seconds=5),
        shown_since=now - datetime.timedelta(minutes=8),
    )
    page.reload()
    assert_accessible(page)
    expect(timer.locator(".timer__label")).to_contain_text("Tiden är slut")
    expect(timer.locator(".timer__label")).to_contain_text("+3 min")
    expect(page.get_by_role("timer")).to_have_text(re.compile(r"^\+3:\d\d$"))
    expect(page.locator("[data-meeting-time]")).to_contain_text("Samtalet: 8 av 110 min")
    shot(page, "projector-timer-over-1024x768")

    page.keyboard.press("ArrowRight")
    expect(page.locator(".proj__key")).to_have_text("2A")
    first = page.get_by_role("navigation", name="Samtalets steg").locator("li").first
    expect(first).to_contain_text("8/5 min")
    expect(first).to_have_class(re.compile(r"\bis-over\b"))
    expect(timer.locator(".timer__label")).to_have_text("Kvar av steget")

    page.goto(f"{live_server.url}/samtal/{meeting.pk}/live/avsluta/granska/?fran=projektor")
    assert_accessible(page)
    with page.expect_navigation(timeout=60_000):  # the PDF is made at once in tests
        page.get_by_role("button", name="Avsluta samtalet").click()
    expect(page.get_by_text("planerat 5 min, faktiskt 8 min")).to_be_visible()
    assert_accessible(page)


# --- Finding 10: earlier meetings' open actions where the template says -----------------


def test_the_room_reviews_earlier_open_actions_on_the_projector(
    page, live_server, assert_accessible
):
    meeting, facilitator = room_meeting()
    open_projector(page, live_server, assert_accessible, meeting, PROJECTOR_SIZES[0])
    earlier = page.get_by_text("Ta fram nyckeltal för närvaro")
    expect(earlier).to_have_count(0)  # step 1 does not review them
    page.keyboard.press("ArrowRight")
    expect(page.locator(".proj__key")).to_have_text("2A")  # the template says: here
    expect(page.get_by_role("heading", name="Öppna åtgärder från tidigare samtal")).to_be_visible()
    expect(earlier).to_be_visible()
    expect(page.get_by_text("Förra årets samtal")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("ArrowRight")
    expect(page.locator(".proj__key")).to_have_text("2B")
    expect(earlier).to_have_count(0)


# --- Finding 3: the join panel, and answering the four-perspective split --------------


def test_phones_join_from_the_projector_and_answer_the_split(
    page, live_server, new_page, assert_accessible
):
    meeting, facilitator = room_meeting()
    code = meeting.join_code
    open_projector(page, live_server, assert_accessible, meeting, PROJECTOR_SIZES[0])
    panel = page.get_by_role("region", name="Följ på telefonen")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("img", name=re.compile("QR-kod"))).to_be_visible()
    assert panel.locator("svg path").count() >= 1
    expect(panel).to_contain_text(f"delta/{code}")
    expect(panel).to_contain_text(f"Kod {code}")
    shot(page, "join-panel-1024x768")
    page.keyboard.press("j")
    expect(page.locator("main.proj")).to_have_class(re.compile("proj--join-big"))
    box = panel.locator(".join__qr").bounding_box()
    assert box["width"] >= 300  # large enough to scan from the back of the room
    shot(page, "join-panel-large-1024x768")
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(page.locator("main.proj")).not_to_have_class(re.compile("proj--join-big"))

    # A phone without a personal link joins with the code and follows the meeting.
    phone = new_page(viewport=PHONE)
    phone.goto(f"{live_server.url}/delta/{code.lower()}/")
    expect(phone.get_by_role("heading", name=re.compile("Just nu: steg 1"))).to_be_visible()
    expect(phone.get_by_text(f"anonymt med koden {code}")).to_be_visible()
    assert_accessible(phone)
    shot(phone, "phone-joined-375x812")

    # The facilitator asks the room; the phone is offered the question at once.
    PerspectiveRound.open_for(meeting)
    meeting.bump_version()
    phone.get_by_role("link", name=re.compile("fyra perspektiv")).click()
    assert_accessible(phone)
    for label, value in (
        ("Medborgare/brukare", "40"),
        ("Medarbetare", "30"),
        ("Process & verksamhet", "20"),
        ("Ekonomi", "10"),
        ("Annat", "0"),
    ):
        phone.get_by_label(label, exact=True).fill(value)
    phone.get_by_role("button", name="Spara fördelningen").click()
    expect(phone.get_by_text("Fördelningen är sparad.")).to_be_visible()
    assert_accessible(phone)
    shot(phone, "phone-split-375x812", full_page=True)

    page.goto(f"{live_server.url}/samtal/{meeting.pk}/perspektiv/visa/")
    expect(page.get_by_text(re.compile(r"1 av \d+ har svarat"))).to_be_visible()
    expect(page.get_by_role("region", name="Följ på telefonen")).to_contain_text(code)
    assert_accessible(page)
    shot(page, "split-projector-with-join-1024x768")

    # A phone that opened its personal link is told the meeting runs, and the code takes it
    # to its own view.
    maria = meeting.participations.get(person__name="Maria Ek")
    own = new_page(viewport=PHONE)
    own.goto(f"{live_server.url}/l/{make_token(maria)}/")
    expect(own.get_by_text("Samtalet pågår nu.")).to_be_visible()
    expect(own.get_by_role("link", name="Följ samtalet live")).to_be_visible()
    assert_accessible(own)
    shot(own, "phone-preparation-running-375x812")
    own.goto(f"{live_server.url}/delta/{code}/")
    expect(own).to_have_url(re.compile(r"/l/[^/]+/a3/$"))  # its own link (a fresh signature)
    expect(own.get_by_role("heading", name=re.compile("Just nu: steg 1"))).to_be_visible()
    assert_accessible(own)


# --- Finding 11: the phone goes to the step under way ----------------------------------


def test_the_participants_phone_follows_the_current_step(
    page, live_server, new_page, assert_accessible
):
    meeting, facilitator = room_meeting()
    maria = meeting.participations.get(person__name="Maria Ek")
    phone = new_page(viewport=PHONE)
    phone.goto(f"{live_server.url}/l/{make_token(maria)}/a3/")
    assert_accessible(phone)
    now = phone.locator("#just-nu")
    expect(now.get_by_role("heading", name=re.compile("Just nu: steg 1"))).to_be_visible()
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(now).not_to_be_in_viewport()

    live.move_step(meeting, facilitator, direction="next")
    expect(now.get_by_role("heading", name=re.compile("Just nu: steg 2A"))).to_be_visible()
    expect(now).to_be_in_viewport()
    expect(now).to_contain_text("Vilka resultat visar på nytta")  # the step's question
    expect(now).to_contain_text("Talar nu:")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    shot(phone, "phone-following-2A-375x812")


# --- Finding 8: finishing is a short review -------------------------------------------


def test_finishing_is_a_review_from_the_projector_and_the_note_takers_view(
    page, live_server, new_page, assert_accessible
):
    meeting, facilitator = room_meeting()
    steps = {s.key: s for s in meeting.template_version.steps.all()}
    wish = live.add_wish(meeting, facilitator, steps["4A"], "Fler mötesplatser", "tryggheten")
    live.agree_wish(meeting, facilitator, wish)
    live.add_action(
        meeting, facilitator, steps["4B"], "Ta fram en plan", (), "Olof Berg", None, "mars"
    )

    notes = new_page(viewport={"width": 1366, "height": 768})
    log_in(notes, live_server, "johan", assert_accessible)
    assert_accessible(notes)
    notes.goto(f"{live_server.url}/samtal/{meeting.pk}/live/anteckna/")
    assert_accessible(notes)
    notes.get_by_role("link", name="Granska före avslutet").click()
    expect(notes.get_by_role("heading", name="Avsluta samtalet", level=1)).to_be_visible()
    expect(notes.get_by_role("button", name="Avsluta samtalet")).to_have_count(0)
    assert_accessible(notes)

    open_projector(page, live_server, assert_accessible, meeting, {"width": 1366, "height": 768})
    page.get_by_role("link", name="Avsluta samtalet…").click()
    empty = page.get_by_role("region", name="Tomma steg")
    expect(empty).to_contain_text("2A")
    expect(empty).to_contain_text("Reflektion och analys av läget")
    expect(page.get_by_role("region", name="Det ni kommit överens om")).to_contain_text(
        "Fler mötesplatser"
    )
    expect(page.get_by_role("region", name="Det ni kommit överens om")).to_contain_text(
        "Ta fram en plan"
    )
    sent = page.get_by_role("region", name="Det här händer när ni avslutar")
    expect(sent).to_contain_text("sparas som PDF i arkivet")
    expect(sent).to_contain_text(re.compile(r"mejlas till \d+ medverkande"))
    assert_accessible(page)
    shot(page, "finishing-review-1366x768", full_page=True)
    page.set_viewport_size({"width": 1024, "height": 768})
    shot(page, "finishing-review-1024x768")
    with page.expect_navigation(timeout=60_000):  # the PDF is made at once in tests
        page.get_by_role("button", name="Avsluta samtalet").click()
    assert_accessible(page)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FINISHED
    assert User.objects.filter(username="karin").exists()
