from django import template

from samtal.evaluations.charts import perspective_chart
from samtal.evaluations.models import (
    Evaluation,
    GroupSplit,
    evaluation_deadline,
    evaluation_open,
)

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


@register.inclusion_tag("evaluations/_reflection_prompt.html")
def reflection_prompt(participation, token):
    """On the participant's personal page (issue 3): a card asking for the reflection while it
    is open. Usage: {% load evaluations %}{% reflection_prompt participation token %}"""
    meeting = participation.meeting
    return {
        "show": evaluation_open(meeting),
        "answered": Evaluation.objects.filter(participation=participation).exists(),
        "deadline": evaluation_deadline(meeting),
        "token": token,
    }
