"""The actions a participant owns, for their personal page after the meeting.

Usage: {% load action_links %}{% owned_actions participation %}
"""

from django import template
from django.urls import reverse

from samtal.actions.links import make_report_token
from samtal.actions.models import ActionItem, FollowUp

register = template.Library()


@register.inclusion_tag("actions/_owned_actions.html")
def owned_actions(participation):
    items = list(
        ActionItem.objects.filter(owners=participation)
        .prefetch_related("owners__person")
        .order_by("position", "id")
    )
    latest = {}
    for report in FollowUp.objects.filter(action_item__in=items).select_related(
        "reporter", "author"
    ):
        latest.setdefault(report.action_item_id, report)
    for item in items:
        item.latest_report = latest.get(item.pk)
        item.report_url = reverse(
            "participants:action_report", args=[make_report_token(item, participation), item.pk]
        )
    return {"items": items}
