from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samtal.a3.document import build_a3
from samtal.actions.models import ActionItem

from .access import meeting_for_member
from .models import Meeting


@login_required
@require_GET
def my_meetings(request):
    meetings = (
        Meeting.objects.for_user(request.user)
        .with_role_of(request.user)
        .select_related("unit")
        .order_by("date", "start_time")
    )
    by_status = {status: [] for status in Meeting.Status}
    for meeting in meetings:
        by_status[meeting.status].append(meeting)
    context = {
        "running": by_status[Meeting.Status.RUNNING],
        "upcoming": by_status[Meeting.Status.PLANNED],
        "finished": by_status[Meeting.Status.FINISHED][::-1],
    }
    return render(request, "meetings/my_meetings.html", context)


@login_required
@require_GET
def meeting_detail(request, meeting_id):
    meeting = meeting_for_member(
        request,
        meeting_id,
        Meeting.objects.select_related("unit__organisation", "template_version__template"),
    )
    a3 = build_a3(meeting)
    participations = a3.participations
    earlier_actions = []
    if meeting.status == Meeting.Status.PLANNED:
        earlier_actions = list(
            ActionItem.objects.open_for_unit(meeting.unit, before_meeting=meeting).prefetch_related(
                "owners__person"
            )
        )
    my_role = next((p.role for p in participations if p.person.user_id == request.user.id), None)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "participations": participations,
            "my_role": my_role,
            "a3": a3,
            "materials": list(meeting.materials.all()),
            "can_plan": meeting.can_plan(request.user),
            "my_participation": next(
                (p for p in participations if p.person.user_id == request.user.id), None
            ),
            "earlier_actions": earlier_actions,
            "missing_for_start": meeting.missing_for_start()
            if meeting.status == Meeting.Status.PLANNED
            else [],
        },
    )
