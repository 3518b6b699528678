"""The meeting room (issue 13, the projector's side): each step's real time kept from the step
changes, the join code a phone follows the meeting with, anonymous answers from joined phones,
and the finishing review."""

import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from samtal.a3 import live
from samtal.a3.document import build_a3
from samtal.a3.live_models import StepTimer
from samtal.a3.pdf import render_pdf
from samtal.evaluations.models import PerspectiveRound, PerspectiveSplit
from samtal.meetings.models import JOIN_CODE_ALPHABET, Meeting
from samtal.participants.links import make_token
from tests.factories import staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_budgets():
    cache.clear()  # the join code's request budgets are counted in the default cache
    yield
    cache.clear()


@pytest.fixture
def running():
    meeting, facilitator, note_taker = staffed_meeting(days_from_today=0)
    live.start_live(meeting, facilitator)
    meeting.refresh_from_db()
    return meeting, facilitator, note_taker


def steps_of(meeting):
    return {s.key: s for s in meeting.template_version.steps.all()}


def shown(meeting, key):
    timer = StepTimer.objects.get(session__meeting=meeting, step=steps_of(meeting)[key])
    return timer


def backdate(meeting, key, minutes):
    """Pretend the step became the current one `minutes` ago."""
    timer = shown(meeting, key)
    timer.shown_since = timezone.now() - datetime.timedelta(minutes=minutes)
    timer.save(update_fields=["shown_since"])


# --- Each step's real time -----------------------------------------------------------


def test_each_step_keeps_the_time_it_was_the_current_step_without_a_started_timer(running):
    meeting, facilitator, _ = running
    backdate(meeting, "1", 8)
    live.move_step(meeting, facilitator, direction="next")
    first = shown(meeting, "1")
    assert first.shown_since is None and 8 * 60 - 5 < first.shown_seconds < 8 * 60 + 5
    assert first.started_at is None  # nobody started the countdown: the time is kept anyway
    backdate(meeting, "2A", 23)
    meeting.refresh_from_db()
    live.finish(meeting, facilitator)
    meeting.refresh_from_db()
    took = {c.step.key: c.actual_minutes for box in build_a3(meeting).boxes for c in box.steps}
    assert took["1"] == 8 and took["2A"] == 23
    assert took["3"] is None  # never on the screen: plan only


def test_undoing_a_step_change_gives_the_time_back_to_the_step(running):
    meeting, facilitator, _ = running
    backdate(meeting, "1", 4)
    live.move_step(meeting, facilitator, direction="next")
    live.undo_step(meeting, facilitator)
    first = shown(meeting, "1")
    assert first.shown_since is not None  # the current step again, counting from its start
    assert 4 * 60 - 5 < first.shown(timezone.now()) < 4 * 60 + 5
    assert not StepTimer.objects.filter(step=steps_of(meeting)["2A"]).exists()


def test_the_a3_page_and_the_pdf_show_plan_against_actual_minutes(client, running):
    meeting, facilitator, _ = running
    backdate(meeting, "1", 9)
    live.move_step(meeting, facilitator, direction="next")
    backdate(meeting, "2A", 23)
    live.finish(meeting, facilitator)
    meeting.refresh_from_db()
    client.force_login(facilitator)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "planerat 5 min, faktiskt 9 min" in page
    assert "planerat 20 min, faktiskt 23 min" in page
    text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(render_pdf(meeting))).pages
    )
    assert "planerat 20 min, faktiskt 23 min" in text
    assert "planerat 5 min, faktiskt 9 min" in text


def test_the_projector_shows_the_steps_with_plan_and_the_meetings_own_time(client, running):
    meeting, facilitator, _ = running
    backdate(meeting, "1", 7)
    live.move_step(meeting, facilitator, direction="next")
    client.force_login(facilitator)
    page = client.get(reverse("a3_live:projector", args=[meeting.pk])).content.decode()
    assert 'aria-label="Samtalets steg"' in page
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "1 Förutsättningar och medverkande? Namn och roll. 7/5 min" in text  # 7 of its 5
    assert "2A Bakgrund, beskrivning av nuläge. 0/20 min" in text
    assert "is-over" in page
    assert "Samtalet: 7 av 110 min" in text
    assert "Använt" not in page  # the step's box no longer mixes in the meeting's minutes


# --- The join code -------------------------------------------------------------------


def test_starting_gives_the_meeting_a_readable_join_code(running):
    meeting, *_ = running
    assert len(meeting.join_code) == 6
    assert set(meeting.join_code) <= set(JOIN_CODE_ALPHABET)
    assert not set("O0I1") & set(JOIN_CODE_ALPHABET)


def test_a_phone_follows_the_running_meeting_with_the_code_and_not_after(client, running):
    meeting, facilitator, _ = running
    url = reverse("join:follow", args=[meeting.join_code.lower()])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Just nu: steg 1" in body and "anonymt med koden" in body
    assert client.get(f"/delta/{meeting.join_code}").status_code == 301  # typed without "/"
    live.finish(meeting, facilitator)
    gone = client.get(url)
    assert gone.status_code == 404
    assert "Koden gäller inte" in gone.content.decode()


def test_a_phone_that_opened_its_personal_link_goes_to_its_own_view(client, running):
    meeting, *_ = running
    maria = meeting.participations.get(person__name="Maria Ek")
    token = make_token(maria)
    prep = client.get(reverse("participants:preparation", args=[token])).content.decode()
    assert "Samtalet pågår nu" in prep
    assert reverse("participants:a3", args=[token]) in prep  # "Följ samtalet live"
    response = client.get(reverse("join:follow", args=[meeting.join_code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:a3", args=[token])


def test_wrong_codes_run_out_of_budget(client, running):
    meeting, *_ = running
    answers = [client.get(f"/delta/XXXXX{i}/").status_code for i in range(25)]
    assert answers[:20] == [404] * 20
    assert answers[-1] == 429
    assert "För många försök" in client.get("/delta/ZZZZZZ/").content.decode()


def test_joined_phones_split_the_time_anonymously_one_answer_each(client, running):
    meeting, facilitator, _ = running
    split_url = reverse("join:split", args=[meeting.join_code])
    data = {
        "citizens": 40,
        "employees": 20,
        "process": 20,
        "economy": 10,
        "other": 10,
        "other_what": "Lokaler",
    }
    assert client.post(split_url, data).status_code == 403  # not opened yet: nothing saved
    assert not PerspectiveSplit.objects.exists()
    PerspectiveRound.open_for(meeting)
    follow = client.get(reverse("join:follow", args=[meeting.join_code])).content.decode()
    assert "Svara nu" in follow and split_url in follow
    assert client.post(split_url, data).status_code == 302
    assert client.post(split_url, {**data, "citizens": 30, "other": 20}).status_code == 302
    split = PerspectiveSplit.objects.get()
    assert split.participation is None and not split.is_group_entry and split.device_key
    assert split.citizens == 30  # the same phone changed its answer
    other_phone = client.__class__()
    assert other_phone.post(split_url, data).status_code == 302
    assert PerspectiveSplit.objects.individual().count() == 2
    client.force_login(facilitator)
    chart = client.get(reverse("evaluations:projector", args=[meeting.pk])).content.decode()
    assert "2 av 4 har svarat" in chart
    assert meeting.join_code in chart  # the join panel beside the question


# --- Finishing review ----------------------------------------------------------------


def test_the_finishing_review_says_what_is_empty_agreed_and_sent(client, running):
    meeting, facilitator, note_taker = running
    steps = steps_of(meeting)
    wish = live.add_wish(meeting, facilitator, steps["4A"], "Fler mötesplatser", "för tryggheten")
    live.agree_wish(meeting, facilitator, wish)
    live.add_action(meeting, facilitator, steps["4B"], "Ta fram en plan", (), "Olof Berg")
    olof = meeting.participations.get(person__name="Olof Berg").person
    olof.email = ""
    olof.save()
    client.force_login(note_taker)
    page = client.get(reverse("a3_live:finish_review", args=[meeting.pk])).content.decode()
    assert "Tomma steg" in page and "2B" in page and "Bakgrund, beskrivning av nuläge" in page
    assert "Fler mötesplatser" in page and "Ta fram en plan" in page
    assert "mejlas till 3 medverkande" in page
    assert "Utan e-postadress, så ingen reflektionsfråga: Olof Berg." in page
    assert "sparas som PDF i arkivet" in page
    assert reverse("a3_live:finish", args=[meeting.pk]) not in page  # the note-taker reviews
    client.force_login(facilitator)
    page = client.get(reverse("a3_live:finish_review", args=[meeting.pk])).content.decode()
    assert reverse("a3_live:finish", args=[meeting.pk]) in page
    response = client.post(reverse("a3_live:finish", args=[meeting.pk]), {"bekrafta": "ja"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.FINISHED
