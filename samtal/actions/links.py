"""Personal report links for action owners without an account.

Sent in reminder e-mails. Unlike the meeting's personal link (valid a while after the
meeting), a report link is valid REPORT_LINK_DAYS from when it was sent, because actions
fall due months later. It is scoped to one owner (participation) and one action, and dies
when the participation's link is revoked.
"""

from django.conf import settings
from django.urls import reverse

from samtal.core.tokens import ACTION_REPORT_LINK, INVALID, REVOKED, Held, link_holder
from samtal.participants.models import Participation

from .models import ActionItem


def make_report_token(action_item, participation):
    return ACTION_REPORT_LINK.make(
        {"p": participation.pk, "g": participation.link_generation, "a": action_item.pk}
    )


def report_link_url(action_item, participation):
    token = make_report_token(action_item, participation)
    return settings.SITE_URL + reverse("participants:action_report", args=[token, action_item.pk])


def owner_for_token(token, action_id):
    """(action, participation) for a valid token, or LinkError."""
    payload = ACTION_REPORT_LINK.read(token, required=("p", "g", "a"))
    if payload["a"] != action_id:
        raise INVALID
    participation = Participation.objects.select_related("person").filter(pk=payload["p"]).first()
    if participation is None:
        raise INVALID
    if participation.link_generation != payload["g"]:
        raise REVOKED
    action = (
        ActionItem.objects.select_related("meeting__unit")
        .filter(pk=action_id, owners=participation, meeting__status="avslutad")
        .first()
    )
    if action is None:
        raise INVALID
    return action, participation


def _held_report_link(token, kwargs):
    action, participation = owner_for_token(token, kwargs.pop("action_id"))
    return Held(participation, (action, participation))


# For views at /l/<token>/atgarder/<id>/: the view gets the action and its owner.
report_link = link_holder(_held_report_link)
