from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Meeting


def meeting_for_member(request, meeting_id, queryset=None):
    """The meeting if the logged-in user takes part in it or created it; 404/403 otherwise."""
    queryset = queryset if queryset is not None else Meeting.objects.all()
    meeting = get_object_or_404(queryset, pk=meeting_id)
    user = request.user
    if meeting.created_by_id == user.id or user.is_superuser:
        return meeting
    if meeting.participations.filter(person__user=user).exists():
        return meeting
    raise PermissionDenied


def can_review_archive(user):
    return user.has_perm("meetings.review_archive")


def meeting_for_reader(request, meeting_id, queryset=None):
    """The meeting if the user takes part in it, or may read the archive and it is finished
    (kommunledning); 404/403 otherwise."""
    queryset = queryset if queryset is not None else Meeting.objects.all()
    meeting = get_object_or_404(queryset, pk=meeting_id)
    user = request.user
    if meeting.created_by_id == user.id or user.is_superuser:
        return meeting
    if meeting.participations.filter(person__user=user).exists():
        return meeting
    if meeting.status == Meeting.Status.FINISHED and can_review_archive(user):
        return meeting
    raise PermissionDenied


def meeting_for_planner(request, meeting_id, queryset=None):
    """The meeting if the user may plan it (its samtalsledare or creator); 404/403 otherwise."""
    meeting = get_object_or_404(
        queryset if queryset is not None else Meeting.objects.all(), pk=meeting_id
    )
    if not meeting.can_plan(request.user):
        raise PermissionDenied
    return meeting


def participation_for_planner(request, meeting_id, participation_id):
    meeting = meeting_for_planner(request, meeting_id)
    participation = get_object_or_404(
        meeting.participations.select_related("person"), pk=participation_id
    )
    participation.meeting = meeting
    return meeting, participation
