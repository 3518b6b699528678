"""Every token Samtal hands out, in one place.

- Personal links (/l/<token>/…): a participation's id and link generation, signed; valid
  until PERSONAL_LINK_DAYS_AFTER_MEETING days after the meeting, revoked by moving the
  generation on.
- Action-report links (/l/<token>/atgarder/<id>/): the same plus the action, valid
  REPORT_LINK_DAYS from when they were sent (actions fall due months later).
- Live keys: let a device follow one meeting as one kind of viewer (its event stream and the
  fallback poll, samtal.a3.live_feed); they expire after a day.
- Survey keys: random, stored with the round or the invitation (a shared link must work for
  months, and an answer must not be tied to a person).

Signed tokens use Django's signing with SECRET_KEY; SECRET_KEY_FALLBACKS keeps links made
with an earlier key working while a new key is rolled out.
"""

import functools
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class LinkError(Exception):
    """Why a link does not work, in words for the person holding it."""

    def __init__(self, reason, title, message):
        super().__init__(reason)
        self.reason = reason
        self.title = title
        self.message = message

    @property
    def status(self):
        return 410 if self.reason in ("revoked", "expired") else 404


INVALID = LinkError(
    "invalid",
    _("Länken fungerar inte"),
    _(
        "Länken är ofullständig eller felaktig. Kontrollera att du har kopierat hela länken "
        "från kallelsen, eller be samtalsledaren skicka en ny."
    ),
)
REVOKED = LinkError(
    "revoked",
    _("Länken har ersatts"),
    _(
        "Den här länken gäller inte längre, eftersom samtalsledaren har återkallat den eller "
        "skickat en ny. Använd den senaste länken du har fått, eller kontakta samtalsledaren."
    ),
)
EXPIRED = LinkError(
    "expired",
    _("Länken har slutat gälla"),
    _(
        "Personliga länkar gäller en tid efter samtalet och den här har gått ut. Kontakta "
        "samtalsledaren om du behöver läsa samtalets dokumentation."
    ),
)


@dataclass(frozen=True)
class TokenKind:
    """One kind of signed token: its salt and, if it ages out by itself, how long it lives."""

    salt: str
    max_age_seconds: object = None  # a callable giving seconds, or None

    def make(self, payload):
        return signing.dumps(payload, salt=self.salt)

    def read(self, token, required=()):
        """The payload, or LinkError (EXPIRED when it aged out, INVALID otherwise)."""
        max_age = self.max_age_seconds() if self.max_age_seconds else None
        try:
            payload = signing.loads(token, salt=self.salt, max_age=max_age)
        except signing.SignatureExpired:
            raise EXPIRED from None
        except (signing.BadSignature, TypeError, ValueError):
            raise INVALID from None
        try:
            return {key: int(payload[key]) for key in required} | {
                key: value for key, value in payload.items() if key not in required
            }
        except (KeyError, TypeError, ValueError):
            raise INVALID from None


def personal_link_days_after_meeting():
    return getattr(settings, "PERSONAL_LINK_DAYS_AFTER_MEETING", 30)


def report_link_days():
    return getattr(settings, "REPORT_LINK_DAYS", 90)


LIVE_KEY_HOURS = 24

PERSONAL_LINK = TokenKind("samtal.participants.personal-link")
ACTION_REPORT_LINK = TokenKind(
    "samtal.actions.report-link", max_age_seconds=lambda: report_link_days() * 24 * 3600
)
LIVE_KEY = TokenKind("samtal.a3.live-key", max_age_seconds=lambda: LIVE_KEY_HOURS * 3600)


def random_key():
    """A key stored in the database (survey links): unguessable, not signed."""
    return secrets.token_urlsafe(16)


@dataclass
class Held:
    """What a valid link gives its holder: their participation, and what the view gets."""

    participation: object
    args: tuple = field(default_factory=tuple)


def link_error_response(request, error):
    """The error page shows nothing from any meeting."""
    return render(request, "link_error.html", {"error": error}, status=error.status)


def link_holder(resolve):
    """The one decorator for views reached through a link (…/<token>/…).

    `resolve(token, kwargs)` checks the token and returns a Held (it may pop URL kwargs it
    used, such as the action id); the view is called as view(request, *held.args, …).
    A refused link gets the link error page. request.link_participation is the holder.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, token, *args, **kwargs):
            try:
                held = resolve(token, kwargs)
            except LinkError as error:
                return link_error_response(request, error)
            request.link_participation = held.participation
            return view(request, *held.args, *args, **kwargs)

        return wrapper

    return decorator
