from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samtal.core.policy import may_plan_new_meetings, membership
from samtal.organisations.session import current

from .models import Meeting


def roles_in(user, organisation):
    member = membership(user, organisation)
    return member.role_labels if member else []


@login_required
@require_GET
def my_meetings(request):
    meetings = (
        Meeting.objects.for_user(request.user)
        .in_organisation_of(request.user, current(request))
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
        "may_plan": may_plan_new_meetings(request.user, current(request)),
        "membership_roles": [str(label) for label in roles_in(request.user, current(request))],
    }
    return render(request, "meetings/my_meetings.html", context)
