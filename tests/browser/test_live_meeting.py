"""A whole live meeting in two browsers at once: the facilitator on the projector view, the
note-taker typing. Every page is checked with axe, also after the live updates.

The app runs under uvicorn (ASGI) on PostgreSQL, as in production: changes are pushed."""

import re

import pytest
from playwright.sync_api import expect

from samtal.actions.models import ActionItem
from samtal.conversation_templates.models import Step
from samtal.meetings.models import Meeting
from samtal.participants.links import make_token
from samtal.participants.models import Preparation, PreparationAnswer
from tests.browser.conftest import log_in
from tests.factories import make_meeting, staffed_meeting

pytestmark = pytest.mark.postgres


@pytest.fixture
def live_server(asgi_live_server):
    return asgi_live_server


@pytest.fixture(autouse=True)
def patient_expectations():
    """Live updates are pushed; on a busy shared machine give them 10 s."""
    expect.set_options(timeout=10_000)
    yield
    expect.set_options(timeout=5_000)


def running_meeting_with_preparation():
    meeting, facilitator, note_taker = staffed_meeting(days_from_today=0)
    claims = meeting.template_version.steps.get(record_kind=Step.RecordKind.CLAIMS)
    maria = meeting.participations.get(person__name="Maria Ek")
    PreparationAnswer.objects.create(
        preparation=Preparation.objects.create(participation=maria),
        step=claims,
        text="Fler elever läser vidare",
        reason="Andelen har ökat tre år i rad",
    )
    earlier = make_meeting(
        theme="Förra årets samtal",
        unit=meeting.unit,
        days_from_today=-300,
        status=Meeting.Status.FINISHED,
    )
    ActionItem.objects.create(
        meeting=earlier, what="Ta fram nyckeltal för närvaro", due_text="v. 12"
    )
    return meeting


def test_a_whole_meeting_with_projector_and_note_taker(
    page, live_server, new_page, assert_accessible
):
    meeting = running_meeting_with_preparation()
    base = f"{live_server.url}/samtal/{meeting.pk}/live/"
    projector = page
    projector.set_viewport_size({"width": 1920, "height": 1080})

    log_in(projector, live_server, "karin", assert_accessible)

    assert_accessible(projector)
    projector.goto(base)
    assert_accessible(projector)
    projector.get_by_role("button", name="Starta samtalet").click()
    expect(
        projector.get_by_role("heading", level=1, name="Förutsättningar och medverkande")
    ).to_be_visible()
    assert_accessible(projector)

    notes = new_page(viewport={"width": 1366, "height": 900})
    log_in(notes, live_server, "johan", assert_accessible)
    assert_accessible(notes)
    notes.goto(base + "anteckna/")
    assert_accessible(notes)

    # Step 1: attendance, and someone who came unannounced.
    notes.get_by_role("button", name=re.compile("Närvarande.*Maria Ek")).click()
    notes.get_by_role("button", name=re.compile("Närvarande.*Olof Berg")).click()
    notes.get_by_label("Namn", exact=True).fill("Nils Nykomling")
    notes.get_by_label("Titel/roll i organisationen").fill("Rektor")
    notes.get_by_role("button", name="Lägg till").click()
    expect(projector.get_by_text("Nils Nykomling")).to_be_visible()
    expect(projector.get_by_text("Olof Berg")).to_be_visible()
    assert_accessible(notes)

    # The timer runs on the server: a reload shows the same planned end.
    projector.keyboard.press(" ")
    expect(projector.get_by_text("Tiden går")).to_be_visible()
    planned_end = projector.locator("[data-timer]").get_attribute("data-planned-end")
    assert planned_end
    projector.reload()
    assert_accessible(projector)
    expect(projector.get_by_text("Tiden går")).to_be_visible()
    assert projector.locator("[data-timer]").get_attribute("data-planned-end") == planned_end
    expect(projector.get_by_role("timer")).to_have_text(re.compile(r"^[45]:\d\d$"))
    projector.keyboard.press("+")
    expect(projector.locator(".timer__state")).to_contain_text("+5 min")
    expect(projector.get_by_role("timer")).to_have_text(re.compile(r"^(9|10):\d\d$"))

    # Step 2A: round the table with what each prepared; earlier open actions are shown.
    projector.keyboard.press("ArrowRight")
    expect(
        projector.get_by_role("heading", level=1, name="Bakgrund, beskrivning av nuläge")
    ).to_be_visible()
    expect(projector.locator(".proj__speaker")).to_have_text("Maria Ek")
    expect(notes.get_by_role("heading", name="Bakgrund, beskrivning av nuläge")).to_be_visible()
    expect(notes.get_by_text("Ta fram nyckeltal för närvaro")).to_be_visible()
    expect(notes.get_by_text("Fler elever läser vidare")).to_be_visible()
    assert_accessible(projector)
    assert_accessible(notes)
    notes.get_by_role("button", name="Ta in som det är").click()
    expect(projector.get_by_text("Fler elever läser vidare")).to_be_visible()

    steps = {s.key: s.pk for s in meeting.template_version.steps.all()}
    claim = notes.locator(f"#new-{steps['2A']}-text")
    claim.fill("Tryggheten i skolan har ökat")
    notes.locator(f"#new-{steps['2A']}-reason").fill("Elevenkäten")
    claim.press("Enter")
    expect(projector.get_by_text("Tryggheten i skolan har ökat")).to_be_visible()
    expect(claim).to_be_focused()
    expect(claim).to_have_value("")

    # A live update never disturbs what is being typed.
    claim.fill("Halvfärdig mening")
    projector.keyboard.press("n")
    expect(projector.locator(".proj__speaker")).to_have_text("Olof Berg")
    expect(notes.get_by_text(re.compile("Talar nu:\\s*Olof Berg"))).to_be_visible()
    expect(claim).to_be_focused()
    expect(claim).to_have_value("Halvfärdig mening")
    claim.press("Enter")
    expect(projector.get_by_text("Halvfärdig mening")).to_be_visible()

    # A step advanced by mistake is undone at once.
    projector.keyboard.press("ArrowRight")
    expect(
        projector.get_by_role("heading", level=1, name="Vilka andra resultat kan vi se?")
    ).to_be_visible()
    projector.keyboard.press("u")
    expect(
        projector.get_by_role("heading", level=1, name="Bakgrund, beskrivning av nuläge")
    ).to_be_visible()
    expect(projector.locator(".proj__speaker")).to_have_text("Olof Berg")

    # Step 2B: a list.
    projector.keyboard.press("ArrowRight")
    other_results = notes.locator(f"#new-{steps['2B']}-text")
    other_results.fill("Lägre sjukfrånvaro bland personalen")
    other_results.press("Enter")
    expect(projector.get_by_text("Lägre sjukfrånvaro bland personalen")).to_be_visible()

    # Step 3: notes under each question.
    projector.keyboard.press("ArrowRight")
    expect(
        projector.get_by_role("heading", level=1, name="Reflektion och analys av läget")
    ).to_be_visible()
    first_question = notes.locator("form[data-new]").filter(
        has=notes.locator("input[name=question][value='0']")
    )
    first_question.get_by_label("Anteckning").fill("Vi är starka på tidiga insatser")
    first_question.get_by_label("Anteckning").press("Enter")
    expect(projector.get_by_text("Vi är starka på tidiga insatser")).to_be_visible()
    assert_accessible(notes)
    # The parking lot is there in every step.
    notes.get_by_label("Fråga att parkera").fill("Lokalfrågan")
    notes.get_by_role("button", name="Parkera").click()
    expect(projector.get_by_text("1 fråga i parkeringsfickan")).to_be_visible()

    # Step 4A: one wish each, at most three agreed; the fourth is refused.
    projector.keyboard.press("ArrowRight")
    expect(
        projector.get_by_role("heading", level=1, name="I de bästa av alla världar")
    ).to_be_visible()
    wish = notes.locator(f"#new-{steps['4A']}-text")
    wishes = [
        ("Fler lärare", "Maria Ek"),
        ("Nya lokaler", "Olof Berg"),
        ("Mer idrott", "Nils Nykomling"),
        ("Kortare skoldagar", None),
    ]
    for text, speaker in wishes:
        if speaker:
            expect(notes.locator(".round__now strong")).to_have_text(speaker)
        else:
            notes.locator(f"#new-{steps['4A']}-who").select_option(label="– ingen särskild –")
        wish.fill(text)
        wish.press("Enter")
        expect(notes.locator(".row__main", has_text=text)).to_be_visible()
        if speaker and speaker != "Nils Nykomling":
            notes.get_by_role("button", name="Nästa talare").click()
    for text in ("Fler lärare", "Nya lokaler", "Mer idrott"):
        notes.get_by_role("button", name=re.compile(f"Kom överens.*{text}")).click()
        expect(notes.locator(".agreed .row__main", has_text=text)).to_be_visible()
    notes.get_by_role("button", name=re.compile("Kom överens.*Kortare skoldagar")).click()
    expect(notes.get_by_role("alert").filter(has_text="redan kommit överens om 3")).to_be_visible()
    expect(projector.locator(".a3-agreed li")).to_have_count(3)
    assert_accessible(projector)
    assert_accessible(notes)

    # Step 4B: what / who / when, including how the result is communicated.
    projector.keyboard.press("ArrowRight")
    expect(projector.get_by_role("heading", level=1, name="Nästa steg")).to_be_visible()
    notes.locator("#new-action-what").fill("Ta fram en plan för rekrytering")
    notes.locator(".row-form__owners").get_by_label("Maria Ek").check()
    notes.get_by_label("När (fritext, t.ex. ”v. 12”)").fill("innan budgetberedningen")
    notes.get_by_role("button", name="Spara åtgärden").click()
    expect(projector.get_by_role("cell", name="Ta fram en plan för rekrytering")).to_be_visible()
    expect(projector.get_by_role("cell", name="Maria Ek")).to_be_visible()
    # How the result is communicated is one of the step's activities (seed 000: "Hur
    # kommunicerar vi resultatet av samtalet?" is part of 4B's prompt, not a box of its own).
    notes.locator("#new-action-what").fill("Nyhetsbrev till alla rektorer")
    notes.get_by_role("button", name="Spara åtgärden").click()
    expect(projector.get_by_role("cell", name="Nyhetsbrev till alla rektorer")).to_be_visible()
    assert_accessible(notes)
    assert_accessible(projector)

    # Finishing locks the A3.
    leader_notes = new_page()
    log_in(leader_notes, live_server, "karin", assert_accessible)
    assert_accessible(leader_notes)
    leader_notes.goto(base + "anteckna/")
    assert_accessible(leader_notes)
    leader_notes.get_by_label("Jag vill avsluta samtalet och låsa A3:an").check()
    leader_notes.get_by_role("button", name="Avsluta samtalet").click()
    expect(
        leader_notes.get_by_text("Samtalet är avslutat och A3:an är låst.").first
    ).to_be_visible()
    assert_accessible(leader_notes)
    expect(projector.get_by_text("Samtalet är avslutat. A3:an är låst.")).to_be_visible()
    expect(notes.get_by_role("heading", name="Samtalet är avslutat")).to_be_visible()
    expect(notes.get_by_role("button", name=re.compile("^Spara"))).to_have_count(0)

    # A direct POST is refused too.
    csrf = next(c["value"] for c in notes.context.cookies() if c["name"] == "csrftoken")
    response = notes.request.post(
        base + "anteckning/ny/",
        form={"other": "1", "text": "Smugglad"},
        headers={"X-CSRFToken": csrf, "Referer": base},
    )
    assert response.status == 403
    assert "låst" in response.text()

    # The whole A3, read-only, as everyone can now read it.
    notes.goto(base + "a3/")
    assert_accessible(notes)
    expect(notes.get_by_text("Samtalet är avslutat. A3:an är låst.")).to_be_visible()
    expect(notes.locator(".a3-agreed li")).to_have_count(3)
    expect(notes.get_by_role("button", name=re.compile("^Spara"))).to_have_count(0)

    # The audit trail shows who changed what.
    leader_notes.goto(base + "andringar/")
    assert_accessible(leader_notes)
    expect(
        leader_notes.locator(".changelog__quote", has_text="Tryggheten i skolan har ökat")
    ).to_be_visible()
    expect(leader_notes.get_by_text("avslutade samtalet")).to_be_visible()


def test_two_people_editing_the_same_entry_get_a_visible_conflict(
    page, live_server, new_page, assert_accessible
):
    meeting = running_meeting_with_preparation()
    from django.contrib.auth.models import User

    from samtal.a3 import live

    karin = User.objects.get(username="karin")
    live.start_live(meeting, karin)
    entry = live.add_entry(meeting, karin, None, "Originaltext")
    base = f"{live_server.url}/samtal/{meeting.pk}/live/anteckna/"

    log_in(page, live_server, "johan", assert_accessible)

    assert_accessible(page)
    page.goto(base)
    assert_accessible(page)
    other = new_page()
    log_in(other, live_server, "karin", assert_accessible)
    assert_accessible(other)
    other.goto(base)
    assert_accessible(other)

    for p in (page, other):
        p.get_by_text("Ändra", exact=False).filter(has_text="Originaltext").first.click()
    page.locator(f"#e{entry.pk}-text").fill("Antecknarens version")
    other.locator(f"#e{entry.pk}-text").fill("Samtalsledarens version")
    page.locator(f"#e{entry.pk}-text").press("Enter")
    expect(page.locator("[data-save-status]")).to_have_text("Sparat")
    other.locator(f"#e{entry.pk}-text").press("Enter")

    for p in (page, other):
        conflicts = p.get_by_role("region", name="Konflikter")
        expect(conflicts.get_by_text("Antecknarens version")).to_be_visible()
        expect(conflicts.get_by_text("Samtalsledarens version")).to_be_visible()
    expect(other.locator("[data-save-status]")).to_contain_text("Konflikt")
    assert_accessible(other)

    page.get_by_role("region", name="Konflikter").get_by_role("button", name="Behåll båda").click()
    rows = other.get_by_role("list", name="Övriga anteckningar")
    expect(rows.locator(".row__main", has_text="Antecknarens version")).to_be_visible()
    expect(rows.locator(".row__main", has_text="Samtalsledarens version")).to_be_visible()
    expect(
        other.get_by_role("region", name="Konflikter").get_by_text("Inga konflikter.")
    ).to_be_visible()


def test_a_participant_follows_the_a3_through_the_personal_link(
    page, live_server, assert_accessible
):
    meeting = running_meeting_with_preparation()
    from django.contrib.auth.models import User

    from samtal.a3 import live

    karin = User.objects.get(username="karin")
    live.start_live(meeting, karin)
    maria = meeting.participations.get(person__name="Maria Ek")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/l/{make_token(maria)}/a3/")
    assert_accessible(page)
    expect(page.get_by_text("Just nu: steg 1")).to_be_visible()
    live.add_entry(meeting, karin, None, "Syns direkt för deltagarna")
    expect(page.get_by_text("Syns direkt för deltagarna")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)


def test_the_note_taker_view_works_on_a_phone(page, live_server, assert_accessible):
    meeting = running_meeting_with_preparation()
    from django.contrib.auth.models import User

    from samtal.a3 import live

    live.start_live(meeting, User.objects.get(username="karin"))
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(page, live_server, "johan", assert_accessible)
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/live/anteckna/")
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_dropped_connection_keeps_the_text_and_saves_it_when_back(
    page, live_server, assert_accessible
):
    from django.contrib.auth.models import User

    from samtal.a3 import live
    from samtal.a3.models import Entry

    meeting = running_meeting_with_preparation()
    live.start_live(meeting, User.objects.get(username="karin"))
    log_in(page, live_server, "johan", assert_accessible)
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/live/anteckna/")
    assert_accessible(page)
    status = page.locator("[data-save-status]")
    field = page.locator("#new-other-text")

    page.context.set_offline(True)
    field.fill("Skrivet utan nät")
    field.press("Enter")
    expect(status).to_contain_text("Inte sparat")
    expect(field).to_have_value("Skrivet utan nät")
    assert not Entry.objects.filter(text="Skrivet utan nät").exists()

    page.context.set_offline(False)
    expect(status).to_have_text("Sparat")
    saved = page.get_by_role("list", name="Övriga anteckningar")
    expect(saved.locator(".row__main", has_text="Skrivet utan nät")).to_be_visible()
    assert Entry.objects.filter(text="Skrivet utan nät").count() == 1
    assert_accessible(page)
