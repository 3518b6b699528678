from django import template
from django.utils.html import format_html

from samtal.core import idempotency

register = template.Library()


@register.simple_tag
def client_key():
    """A hidden idempotency key for an "add" form; live.js replaces it with its own per add."""
    return format_html(
        '<input type="hidden" name="{}" value="{}" data-client-key>',
        idempotency.FIELD,
        idempotency.new_key(),
    )
