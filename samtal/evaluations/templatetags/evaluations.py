from django import template

from samtal.evaluations.charts import perspective_chart
from samtal.evaluations.models import GroupSplit

register = template.Library()


@register.inclusion_tag("evaluations/_perspectives_chart.html")
def perspectives_chart(meeting_or_split, large=False, heading_id=""):
    """The group's four-perspective split as an SVG bar chart with its figures.

    Usage (projector, PDF, archive): {% load evaluations %}{% perspectives_chart meeting %}
    """
    split = (
        meeting_or_split
        if isinstance(meeting_or_split, GroupSplit)
        else GroupSplit.for_meeting(meeting_or_split)
    )
    return {"chart": perspective_chart(split, large=large), "heading_id": heading_id}
