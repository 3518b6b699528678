from django import template

from samtal.core.policy import is_reviewer, may_edit_templates, may_use_board

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_up_nav(context):
    """Which of Arkiv / Uppföljning / Mallar the user may open, worked out once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"archive": False, "board": False, "templates": False}
    cached = getattr(request, "_follow_up_nav", None)
    if cached is None:
        reviewer = is_reviewer(user)
        cached = {
            "archive": reviewer,
            "board": reviewer or may_use_board(user),
            "templates": may_edit_templates(user),
        }
        request._follow_up_nav = cached
    return cached
