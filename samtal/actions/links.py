"""Personal report links for action owners without an account.

Sent in reminder e-mails. Unlike the meeting's personal link (valid a while after the
meeting), a report link is valid REPORT_LINK_DAYS from when it was sent, because actions
fall due months later. It is scoped to one owner (participation) and one action, and dies
when the participation's link is revoked.
"""

import functools

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.urls import reverse

from samtal.participants.links import EXPIRED, INVALID, REVOKED

SALT = "samtal.actions.report-link"


def days_valid():
    return getattr(settings, "REPORT_LINK_DAYS", 90)


def make_report_token(action_item, participation):
    return signing.dumps(
        {"p": participation.pk, "g": participation.link_generation, "a": action_item.pk},
        salt=SALT,
    )


def report_link_url(action_item, participation):
    token = make_report_token(action_item, participation)
    return settings.SITE_URL + reverse("participants:action_report", args=[token, action_item.pk])


def owner_for_token(token, action_id):
    """(action, participation) for a valid token, or LinkError."""
    from samtal.participants.models import Participation

    from .models import ActionItem

    try:
        payload = signing.loads(token, salt=SALT, max_age=days_valid() * 24 * 3600)
        participation_id, generation = int(payload["p"]), int(payload["g"])
        token_action_id = int(payload["a"])
    except signing.SignatureExpired:
        raise EXPIRED from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise INVALID from None
    if token_action_id != action_id:
        raise INVALID
    participation = (
        Participation.objects.select_related("person").filter(pk=participation_id).first()
    )
    if participation is None:
        raise INVALID
    if participation.link_generation != generation:
        raise REVOKED
    action = (
        ActionItem.objects.select_related("meeting__unit")
        .filter(pk=action_id, owners=participation, meeting__status="avslutad")
        .first()
    )
    if action is None:
        raise INVALID
    return action, participation


def report_link(view):
    """For views at /l/<token>/atgarder/<id>/: passes the action and its owner."""

    @functools.wraps(view)
    def wrapper(request, token, action_id, *args, **kwargs):
        from samtal.participants.links import LinkError

        try:
            action, participation = owner_for_token(token, action_id)
        except LinkError as error:
            return render(
                request,
                "participants/link_error.html",
                {"error": error},
                status=410 if error.reason in ("revoked", "expired") else 404,
            )
        request.participation = participation
        return view(request, action, participation, *args, **kwargs)

    return wrapper
