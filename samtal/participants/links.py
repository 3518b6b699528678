"""Personal links: a signed token for one participation, so participants need no account.

A token holds the participation's id and link generation. It is refused when the signature
is wrong, when the generation has moved on (the link was revoked or replaced), or when the
meeting is more than PERSONAL_LINK_DAYS_AFTER_MEETING days past.
"""

import datetime
import functools

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SALT = "samtal.participants.personal-link"


class LinkError(Exception):
    """Why a personal link does not work, in words for the person holding it."""

    def __init__(self, reason, title, message):
        super().__init__(reason)
        self.reason = reason
        self.title = title
        self.message = message


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


def days_valid_after_meeting():
    return getattr(settings, "PERSONAL_LINK_DAYS_AFTER_MEETING", 30)


def make_token(participation):
    return signing.dumps({"p": participation.pk, "g": participation.link_generation}, salt=SALT)


def expires_on(meeting):
    return meeting.date + datetime.timedelta(days=days_valid_after_meeting())


def participation_for_token(token, today=None):
    """The participation a token is for, or LinkError saying why not."""
    from .models import Participation

    try:
        payload = signing.loads(token, salt=SALT)
        participation_id, generation = int(payload["p"]), int(payload["g"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise INVALID from None
    participation = (
        Participation.objects.select_related(
            "person", "meeting__unit__organisation", "meeting__template_version"
        )
        .filter(pk=participation_id)
        .first()
    )
    if participation is None:
        raise INVALID
    if participation.link_generation != generation:
        raise REVOKED
    if (today or timezone.localdate()) > expires_on(participation.meeting):
        raise EXPIRED
    return participation


def personal_link_url(participation, name="participants:preparation"):
    return settings.SITE_URL + reverse(name, args=[make_token(participation)])


def personal_link(view):
    """For views at …/<token>/…: passes the participation, or shows why the link fails.

    The error page shows nothing from any meeting.
    """

    @functools.wraps(view)
    def wrapper(request, token, *args, **kwargs):
        try:
            participation = participation_for_token(token)
        except LinkError as error:
            return render(
                request,
                "participants/link_error.html",
                {"error": error},
                status=410 if error.reason in ("revoked", "expired") else 404,
            )
        request.participation = participation
        return view(request, participation, *args, **kwargs)

    return wrapper
