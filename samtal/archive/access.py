from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from samtal.meetings.models import Meeting

REVIEW_PERMISSION = "meetings.review_archive"


def is_reviewer(user):
    """Kommunledning: may read every finished meeting of every unit."""
    return user.is_authenticated and (user.is_superuser or user.has_perm(REVIEW_PERMISSION))


def require_reviewer(request):
    if not is_reviewer(request.user):
        raise PermissionDenied


def archived_meeting_for_reviewer(request, meeting_id, queryset=None):
    """A finished meeting for a reviewer; 403 for everyone else, 404 if not finished."""
    require_reviewer(request)
    queryset = queryset if queryset is not None else Meeting.objects.all()
    return get_object_or_404(queryset.finished(), pk=meeting_id)
