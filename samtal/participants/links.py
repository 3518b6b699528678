"""Personal links: a signed token for one participation, so participants need no account.

A token holds the participation's id and link generation (samtal.core.tokens). It is refused
when the signature is wrong, when the generation has moved on (the link was revoked or
replaced), or when the meeting is more than PERSONAL_LINK_DAYS_AFTER_MEETING days past.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from samtal.core.tokens import (
    EXPIRED,
    INVALID,
    PERSONAL_LINK,
    REVOKED,
    Held,
    link_holder,
    personal_link_days_after_meeting,
)

from .models import Participation


def make_token(participation):
    return PERSONAL_LINK.make({"p": participation.pk, "g": participation.link_generation})


def expires_on(meeting):
    return meeting.date + datetime.timedelta(days=personal_link_days_after_meeting())


def participation_for_token(token, today=None):
    """The participation a token is for, or LinkError saying why not."""
    payload = PERSONAL_LINK.read(token, required=("p", "g"))
    participation = (
        Participation.objects.select_related(
            "person", "meeting__unit__organisation", "meeting__template_version"
        )
        .filter(pk=payload["p"])
        .first()
    )
    if participation is None:
        raise INVALID
    if participation.link_generation != payload["g"]:
        raise REVOKED
    if (today or timezone.localdate()) > expires_on(participation.meeting):
        raise EXPIRED
    return participation


def personal_link_url(participation, name="participants:preparation"):
    return settings.SITE_URL + reverse(name, args=[make_token(participation)])


def _held_personal_link(token, kwargs):
    participation = participation_for_token(token)
    return Held(participation, (participation,))


# For views at /l/<token>/…: the view gets the participation.
personal_link = link_holder(_held_personal_link)
