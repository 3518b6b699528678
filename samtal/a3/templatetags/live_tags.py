import functools

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

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


# A number no meeting or row has, reversed in place of the row's id.
_ROW = 987654321


@functools.lru_cache(maxsize=1024)
def _url_pattern(name, meeting_id, with_row, prefix):
    args = [meeting_id, _ROW] if with_row else [meeting_id]
    return reverse(name, args=args).replace(str(_ROW), "{}")


@register.simple_tag
def live_url(name, meeting_id, row_id=None):
    """reverse(name, args=[meeting_id, row_id]), with the reversal done once for all the
    rows of a meeting: the note-taker's page has a few hundred row forms, rendered again for
    every change, and reversing each was a fifth of that render."""
    pattern = _url_pattern(name, int(meeting_id), row_id is not None, get_script_prefix())
    return pattern.format(int(row_id)) if row_id is not None else pattern


@register.simple_tag
def who_options(speaking, selected_id):
    """The options of a "Vem" select: built in Python, because the note-taker's page has one
    select per row, each listing everyone who speaks."""
    options = [format_html('<option value="">{}</option>', _("– ingen särskild –"))]
    for participation in speaking:
        selected = " selected" if participation.pk == selected_id else ""
        options.append(
            f'<option value="{participation.pk}"{selected}>'
            f"{escape(participation.person.name)}</option>"
        )
    return mark_safe("".join(options))
