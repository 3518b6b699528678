from django import template

register = template.Library()


@register.filter
def clock(seconds):
    """Seconds as m:ss; over time, the overrun counting up with a plus sign (e.g. +1:05)."""
    try:
        seconds = int(round(float(seconds)))
    except (TypeError, ValueError):
        return ""
    sign = "+" if seconds < 0 else ""
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


@register.filter
def overrun_minutes(remaining):
    """Whole minutes a step is over its time, at least 1 (for "Tiden är slut +3 min")."""
    try:
        remaining = float(remaining)
    except (TypeError, ValueError):
        return 0
    return 0 if remaining >= 0 else max(1, int(-remaining // 60))
