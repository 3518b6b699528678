from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from samtal.archive.access import is_reviewer
from samtal.participants.models import Participation

from .models import ActionItem


def may_use_board(user):
    """Kommunledning, facilitators and action owners use the follow-up board."""
    if is_reviewer(user):
        return True
    return (
        Participation.objects.filter(person__user=user)
        .filter(Q(role=Participation.Role.FACILITATOR) | Q(action_items__isnull=False))
        .exists()
    )


def require_board(request):
    if not may_use_board(request.user):
        raise PermissionDenied


def action_for_user(request, action_id):
    """An action the user may follow up (and report on); 404 unknown, 403 not theirs.

    Everyone who sees an action on the board may report on it: owners, the meeting's
    facilitator, and kommunledning (the process owner).
    """
    action = get_object_or_404(
        ActionItem.objects.select_related("meeting__unit", "meeting__template_version"),
        pk=action_id,
    )
    if not ActionItem.objects.visible_to(request.user).filter(pk=action.pk).exists():
        raise PermissionDenied
    return action
