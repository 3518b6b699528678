"""Kommunledning's view of one person across finished meetings: what they said in the A3s,
what they own, and what they reported."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from samtal.a3.models import Entry, Wish
from samtal.actions.models import ActionItem, FollowUp
from samtal.core.policy import current_organisation, require_reviewer
from samtal.meetings.models import Meeting
from samtal.participants.models import Participation, Person

LIMIT = 50
MEETING_FIELDS = ("meeting__theme", "meeting__date", "meeting__unit__name")


@login_required
@require_GET
def person(request, person_id):
    require_reviewer(request)
    # Kommunledning's own organisation's people only (people belong to one organisation).
    person = get_object_or_404(Person, pk=person_id, organisation=current_organisation(request))
    finished = Meeting.Status.FINISHED
    participations = list(
        Participation.objects.filter(person=person, meeting__status=finished)
        .select_related("meeting__unit")
        .only("role", "meeting_id", *MEETING_FIELDS)
        .order_by("-meeting__date", "-meeting_id")
    )
    # Only what the page shows: a step's prompt and questions (JSON) would be read and
    # decoded for every one of a hundred lines.
    said_fields = ("text", "reason", "meeting_id", *MEETING_FIELDS, "step__key", "step__title")
    said_fields += ("step__order",)
    said = sorted(
        [
            *Entry.objects.filter(participation__in=participations)
            .select_related("meeting__unit", "step")
            .only(*said_fields)
            .order_by("-meeting__date", "step__order", "position")[:LIMIT],
            *Wish.objects.filter(participation__in=participations)
            .select_related("meeting__unit", "step")
            .only(*said_fields)
            .order_by("-meeting__date", "position")[:LIMIT],
        ],
        key=lambda item: (-item.meeting.date.toordinal(), item.step.order if item.step else 99),
    )[:LIMIT]  # the latest 50 of both, as the page says (each list holds its own latest 50)
    latest_first = FollowUp.objects.select_related("reporter", "author").only(
        "action_item_id",
        "reported_on",
        "text",
        "reporter__name",
        "author__username",
        "author__first_name",
        "author__last_name",
    )
    owned = list(
        ActionItem.objects.filter(owners__in=participations)
        .distinct()
        .select_related("meeting__unit")
        .only("what", "due_date", "due_text", "status", "position", "meeting_id", *MEETING_FIELDS)
        .prefetch_related(Prefetch("follow_ups", queryset=latest_first, to_attr="reports"))
        .order_by("-meeting__date", "position")[:LIMIT]
    )
    reported = list(
        FollowUp.objects.filter(reporter=person)
        .select_related("action_item")
        .only("reported_on", "status", "text", "action_item__what")
        .order_by("-reported_on", "-id")[:LIMIT]
    )
    return render(
        request,
        "archive/person.html",
        {
            "person": person,
            "participations": participations[:LIMIT],
            "meeting_count": len(participations),
            "said": said,
            "owned": owned,
            "reported": reported,
            "limit": LIMIT,
            # Links built from one reversed prefix: a hundred {% url %} cost milliseconds.
            "archive_url": reverse("archive:list"),
            "board_url": reverse("actions:board"),
        },
    )
