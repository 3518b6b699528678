"""The meeting room's own pages: a phone that joined with the projector's code, and the
finishing review before "Avsluta samtalet"."""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from samtal.core.hooks import collect, join_polls
from samtal.core.throttle import over_budget, too_many
from samtal.meetings.models import Meeting
from samtal.participants.links import remembered_participation

from . import room
from .live_views import live_context, live_meeting, meetings, render_live

# A room of phones shares one address; a wrong code is what guessing looks like.
JOIN_BUDGET = (240, 60)  # requests a minute
WRONG_CODE_BUDGET = (20, 600)  # wrong codes in ten minutes


def running_meeting(code):
    return meetings().filter(join_code=code.strip().upper(), status=Meeting.Status.RUNNING).first()


def by_join_code(budget):
    """For the views under /delta/<code>/: refuse a device over its budget or a code of no
    running meeting; else call the view with the meeting and the personal link this device
    remembered for it, as (participation, token) or (None, None)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, code):
            if over_budget(request, budget, *JOIN_BUDGET):
                return too_many(request)
            meeting = running_meeting(code)
            if meeting is None:
                if over_budget(request, "join-wrong", *WRONG_CODE_BUDGET):
                    return too_many(request)
                return render(request, "a3/live/join_gone.html", {"code": code}, status=404)
            participation, token = remembered_participation(request, meeting)
            return view(request, meeting, participation, token)

        return wrapper

    return decorator


@never_cache
@require_GET
@by_join_code("join")
def join(request, meeting, participation, token):
    """/delta/<code>/: a phone follows the meeting. A device that opened its personal link
    goes to its own live view; any other follows anonymously and answers the open polls."""
    if participation is not None:
        return redirect("participants:a3", token)
    context = live_context(meeting, editor=False)
    context["join_code"] = meeting.join_code
    context["polls"] = collect(join_polls, meeting, code=meeting.join_code)
    return render_live(request, "a3/live/overview.html", context, "overview")


@login_required
@require_GET
def finish_review(request, meeting_id):
    """What "Avsluta samtalet" will close and set off, before it is done."""
    meeting = live_meeting(request, meeting_id, "follow_live")
    return render(
        request,
        "a3/live/finish_review.html",
        {
            "meeting": meeting,
            "review": room.finishing_review(meeting),
            "access": meeting.access,
            "back": request.GET.get("fran") == "projektor",
        },
    )
