"""Who may see what of the evaluation. Built on samtal.meetings.access so that the rules
are the meetings' own: members read their meeting, kommunledning reads finished meetings,
the facilitator (or the creator) leads the group reflection."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from samtal.meetings.access import can_review_archive, meeting_for_planner, meeting_for_reader
from samtal.meetings.models import Meeting, Unit

MEETING_QS = Meeting.objects.select_related("unit__organisation", "template_version")


def meeting_for_viewer(request, meeting_id):
    """Members of the meeting, and kommunledning once it is finished."""
    return meeting_for_reader(request, meeting_id, MEETING_QS)


def meeting_for_facilitator(request, meeting_id):
    return meeting_for_planner(request, meeting_id, MEETING_QS)


def can_read_evaluations(user, meeting):
    """The facilitator reads the reflections of their meeting; kommunledning those of every
    finished meeting."""
    if meeting.can_plan(user):
        return True
    return meeting.status == Meeting.Status.FINISHED and can_review_archive(user)


def require_reviewer(request):
    if not can_review_archive(request.user):
        raise PermissionDenied


def unit_for_reviewer(request, unit_id):
    require_reviewer(request)
    return get_object_or_404(Unit.objects.select_related("organisation"), pk=unit_id)
