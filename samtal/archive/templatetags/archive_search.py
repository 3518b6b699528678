import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from samtal.archive.search import words

register = template.Library()


@register.filter
def highlight_words(text, query):
    """The text escaped, with each searched word in <mark> (names in the person hits)."""
    search_words = words(query or "")
    html = escape(text or "")
    if not search_words:
        return mark_safe(html)
    pattern = re.compile("|".join(re.escape(escape(w)) for w in search_words), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", html))
