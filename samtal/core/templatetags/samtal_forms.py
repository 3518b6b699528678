from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def quick_select(bound_field):
    """A <select> for a choice field, rendered in Python.

    Same markup as Django's Select widget, without a template per option: the archive's and
    the board's filter forms have dozens of options and this is most of their rendering time.
    """
    current = bound_field.value()
    current = "" if current is None else str(current)
    attrs = {"name": bound_field.html_name, "id": bound_field.auto_id}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{bound_field.auto_id}_fel"
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if value == current else "", label)
            for value, label in (
                (str(getattr(v, "value", v)), label) for v, label in bound_field.field.choices
            )
        ),
    )
    return format_html(
        "<select {}>{}</select>",
        format_html_join(" ", '{}="{}"', attrs.items()),
        options,
    )
