"""No tokens, reset links or email addresses in the logs."""

import io
import logging

import pytest
from django.urls import reverse

from samtal.core.log_redaction import RedactFilter, redact
from tests.factories import staffed_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    """What the console handler (the one production logs go through) writes."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactFilter) for f in h.filters)
    )
    stream = io.StringIO()
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_a_conflict_on_a_personal_link_is_logged_without_the_token(client, console):
    meeting, *_ = staffed_meeting()
    token = meeting.participations.get(person__name="Maria Ek").personal_link_token()
    meeting.start()
    response = client.post(reverse("participants:autosave", args=[token]), {})
    assert response.status_code == 409
    logged = console.getvalue()
    assert "Conflict: /l/[dold]/spara/" in logged
    assert token not in logged


def test_the_server_access_logs_blank_links(caplog):
    for name in ("django.server", "gunicorn.access", "uvicorn.access"):
        logging.getLogger(name).warning(
            '"%s" %s %s', "GET /enkat/personlig/abc123/?x=1 HTTP/1.1", 200, 512
        )
    assert [r.getMessage() for r in caplog.records] == [
        '"GET /enkat/personlig/[dold]/?x=1 HTTP/1.1" 200 512'
    ] * 3


def test_email_addresses_in_a_traceback_are_blanked(console):
    try:
        raise ValueError("Mottagaren maria.ek@kommun.example avvisade brevet")
    except ValueError:
        logging.getLogger("samtal.participants.emails").exception("Kunde inte skicka")
    logged = console.getvalue()
    assert "Kunde inte skicka" in logged and "[e-post]" in logged
    assert "maria.ek@kommun.example" not in logged


@pytest.mark.parametrize(
    "text, expected",
    [
        ("/l/AbC:1x-_9/a3/", "/l/[dold]/a3/"),
        ("/enkat/Zx9/tack/", "/enkat/[dold]/tack/"),
        ("/aterstall/MQ/cz9-abc123/", "/aterstall/[dold]/"),
        ("/samtal/12/live/version?k=abc", "/samtal/12/live/version?k=abc"),
    ],
)
def test_redaction_keeps_the_shape_of_the_path(text, expected):
    assert redact(text) == expected
