from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from samtal.meetings.models import Meeting, Unit

from .models import can_review, is_facilitator

MEETING_QS = Meeting.objects.select_related("unit__organisation", "template_version")


def meeting_for_reader(request, meeting_id):
    """The meeting if the user leads it or is kommunledning; the evaluations are theirs to read."""
    meeting = get_object_or_404(MEETING_QS, pk=meeting_id)
    if is_facilitator(request.user, meeting) or can_review(request.user):
        return meeting
    raise PermissionDenied


def meeting_for_facilitator(request, meeting_id):
    meeting = get_object_or_404(MEETING_QS, pk=meeting_id)
    if is_facilitator(request.user, meeting):
        return meeting
    raise PermissionDenied


def meeting_for_viewer(request, meeting_id):
    """Members of the meeting and kommunledning may look at the group's split."""
    meeting = get_object_or_404(MEETING_QS, pk=meeting_id)
    user = request.user
    if (
        can_review(user)
        or meeting.created_by_id == user.id
        or meeting.participations.filter(person__user=user).exists()
    ):
        return meeting
    raise PermissionDenied


def require_reviewer(request):
    if not can_review(request.user):
        raise PermissionDenied


def unit_for_reviewer(request, unit_id):
    require_reviewer(request)
    return get_object_or_404(Unit.objects.select_related("organisation"), pk=unit_id)
