from django import template

register = template.Library()


@register.filter
def clock(seconds):
    """Seconds as m:ss, with a minus sign when over time (e.g. -1:05)."""
    try:
        seconds = int(round(float(seconds)))
    except (TypeError, ValueError):
        return ""
    sign = "−" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 60}:{seconds % 60:02d}"


@register.filter
def timer_state(remaining):
    try:
        remaining = float(remaining)
    except (TypeError, ValueError):
        return ""
    if remaining < 0:
        return "over"
    if remaining <= 120:
        return "amber"
    return "ok"
