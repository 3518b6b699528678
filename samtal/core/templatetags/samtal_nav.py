from django import template

from samtal.core.policy import (
    current_organisation,
    is_organisation_admin,
    is_reviewer,
    may_edit_templates,
    may_plan_new_meetings,
    may_use_board,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def follow_up_nav(context):
    """Which of Arkiv / Uppföljning / Mallar the user may open, worked out once per request."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"archive": False, "board": False, "admin": False, "plan": False, "templates": False}
    cached = getattr(request, "_follow_up_nav", None)
    if cached is None:
        organisation = current_organisation(request)
        reviewer = is_reviewer(user, organisation)
        cached = {
            "archive": reviewer,
            "board": reviewer or may_use_board(user, organisation),
            "admin": is_organisation_admin(user, organisation),
            "plan": may_plan_new_meetings(user, organisation),
            "templates": may_edit_templates(user, organisation),
        }
        request._follow_up_nav = cached
    return cached
