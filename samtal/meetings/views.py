from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

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
