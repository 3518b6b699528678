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
    LinkError,
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


SESSION_LINKS = "samtal_personal_links"


def remember_on_device(request, participation):
    """Remember in this device's session that it holds the participation's personal link,
    so the projector's join code takes the phone to its own live view (not an anonymous one)."""
    links = request.session.get(SESSION_LINKS, {})
    token = make_token(participation)
    if links.get(str(participation.meeting_id)) != token:
        links[str(participation.meeting_id)] = token
        request.session[SESSION_LINKS] = links


def remembered_participation(request, meeting):
    """The participation whose still valid personal link this device opened, or None."""
    token = request.session.get(SESSION_LINKS, {}).get(str(meeting.pk))
    if not token:
        return None, None
    try:
        participation = participation_for_token(token)
    except LinkError:  # revoked, expired or bad: the device joins anonymously
        return None, None
    if participation.meeting_id != meeting.pk:
        return None, None
    return participation, token
