"""The plan page shows each person's email state: waiting (with failed attempts), failed
with "Skicka igen", and sent."""

import datetime
import os

from django.utils import timezone
from playwright.sync_api import expect

from samtal.participants.models import EmailDelivery
from tests.browser.conftest import log_in
from tests.factories import staffed_meeting


def test_waiting_and_failed_emails_are_shown_per_person(page, live_server, assert_accessible):
    meeting, _facilitator, _ = staffed_meeting()
    maria = meeting.participations.get(person__name="Maria Ek")
    olof = meeting.participations.get(person__name="Olof Berg")
    EmailDelivery.objects.create(
        participation=maria,
        kind="kallelse",
        status=EmailDelivery.Status.FAILED,
        attempts=5,
        error="550 mailbox unavailable",
        new_link=True,
        finished_at=timezone.now(),
    )
    EmailDelivery.objects.create(
        participation=olof,
        kind="kallelse",
        attempts=1,
        error="Connection unexpectedly closed: timed out",
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=2),
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, "karin", assert_accessible)
    assert_accessible(page)
    page.goto(f"{live_server.url}/samtal/{meeting.pk}/planera/")
    maria_row = page.locator(".plan-person", has_text="Maria Ek")
    expect(maria_row).to_contain_text(
        "Kallelsen kunde inte skickas (550 mailbox unavailable) – den gamla länken gäller "
        "fortfarande. Kontrollera adressen och skicka igen."
    )
    expect(maria_row.get_by_role("button", name="Skicka igen till Maria Ek")).to_be_visible()
    expect(page.locator(".plan-person", has_text="Olof Berg")).to_contain_text(
        "Kallelsen väntar på att skickas – 1 försök misslyckades"
    )
    expect(page.get_by_text("Kallelsen väntar på att skickas till 1 person.")).to_be_visible()
    assert_accessible(page)
    if shots := os.environ.get("SAMTAL_SCREENSHOTS"):
        page.locator("section[aria-labelledby=medverkande]").screenshot(
            path=os.path.join(shots, "leveranser.png")
        )
