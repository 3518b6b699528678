from django import template
from django.conf import settings

from samtal.conversation_templates.models import Phase
from samtal.keyfigures.charts import line_chart
from samtal.keyfigures.models import KeyFigure

register = template.Library()

MODES = {"", "projektor", "pdf"}
# The steps where results are told (2A, 2B).
PAST_PHASE = Phase.PAST


@register.inclusion_tag("keyfigures/_keyfigures.html", takes_context=True)
def keyfigures(context, meeting, mode="", step=None):
    """A meeting's key figures from Kolada: a chart, the numbers as a table, the source and the
    date fetched, for each.

    Usage: {% load keyfigures %}
      {% keyfigures meeting %}                          preparation page, meeting page
      {% keyfigures meeting mode="projektor" step=step %}  projector: at the steps of the past
                                                        phase (2A, 2B), large and one at a time
      {% keyfigures meeting mode="pdf" %}               the PDF's "Underlag för samtal" page
    """
    if mode not in MODES:
        raise template.TemplateSyntaxError(f"keyfigures: unknown mode {mode!r}")
    result = {"mode": mode, "meeting": meeting, "figures": [], "pdf": mode == "pdf"}
    if mode == "projektor" and (step is None or step.phase != PAST_PHASE):
        # The script comes with the page at every step (a script swapped in later by the
        # live updates would not run); the figures show at the past phase's steps only.
        return {**result, "script_only": True}
    figures = list(
        KeyFigure.objects.filter(meeting=meeting)
        .prefetch_related("values")
        .select_related("meeting")
    )
    if not figures:
        return result
    request = context.get("request")
    result["kolada_enabled"] = settings.KOLADA_ENABLED
    if mode == "projektor":
        shown = _index(request, len(figures))
        result.update(
            {
                "count": len(figures),
                "shown": shown,
                "path": request.path if request else "",
            }
        )
        if shown:
            figure = figures[shown - 1]
            result["figure"] = {"object": figure, "chart": line_chart(figure, large=True)}
            result["prev"] = shown - 1 if shown > 1 else None
            result["next"] = shown + 1 if shown < len(figures) else None
        return result
    result["figures"] = [{"object": figure, "chart": line_chart(figure)} for figure in figures]
    return result


def _index(request, count):
    """Which key figure the projector shows (1-based), from ?nyckeltal=; 0 for none."""
    if request is None:
        return 0
    try:
        index = int(request.GET.get("nyckeltal", "0"))
    except ValueError:
        return 0
    return index if 1 <= index <= count else 0
