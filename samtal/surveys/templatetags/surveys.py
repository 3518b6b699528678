from django import template

from samtal.surveys.models import Response
from samtal.surveys.results import format_decimal

register = template.Library()


@register.filter
def decimal(value):
    """2,35 – Swedish decimal comma, two decimals."""
    return format_decimal(value)


@register.filter
def signed(value):
    """+0,79 / −0,12."""
    if value is None:
        return ""
    return ("+" if value > 0 else "") + format_decimal(value)


@register.filter
def function_label(value):
    return Response.Function(value).label
