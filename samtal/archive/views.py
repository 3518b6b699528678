from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from samtal.a3.document import build_a3
from samtal.a3.views import pdf_response, wants_preparation
from samtal.actions.models import OPEN_STATUSES, ActionItem
from samtal.core.paging import paginate_by_id
from samtal.core.policy import current_organisation, meeting_for, require_reviewer
from samtal.meetings.models import Meeting
from samtal.participants.links import personal_link
from samtal.participants.models import Participation

from . import search
from .forms import ArchiveFilterForm
from .pdfs import pdf_filename, pdf_for_download

PAGE_SIZE = 25
MEETINGS = Meeting.objects.select_related("unit__organisation", "template_version__template")


def archive_rows(meetings):
    """The list's columns as annotations: a fixed number of queries for any page."""
    open_actions = (
        ActionItem.objects.filter(meeting=OuterRef("pk"), status__in=OPEN_STATUSES)
        .order_by()
        .values("meeting")
        .annotate(n=Count("id"))
        .values("n")
    )
    facilitator = Participation.objects.filter(
        meeting=OuterRef("pk"), role=Participation.Role.FACILITATOR
    ).values("person__name")[:1]
    return meetings.select_related("unit").annotate(
        open_actions=Coalesce(Subquery(open_actions, output_field=IntegerField()), Value(0)),
        facilitator_name=Subquery(facilitator),
    )


@login_required
@require_GET
def archive_list(request):
    require_reviewer(request)
    organisation = current_organisation(request)
    form = ArchiveFilterForm(request.GET or None, organisation=organisation)
    meetings = Meeting.objects.finished().filter(unit__organisation=organisation)
    query = ""
    counted = None
    if form.is_bound:
        form.is_valid()
        meetings = form.order(form.filter(meetings))
        query = (form.cleaned_data.get("q") or "").strip()
        if query and search.uses_postgres():
            counted = search.RankedSearch(
                meetings, query, relevance=form.by_relevance(), narrowed=form.narrows()
            )
            meetings = counted.ordered
        elif query:
            meetings = search.filter_meetings(meetings, query)
    else:
        meetings = meetings.order_by("-date", "-start_time", "-id")

    page = paginate_by_id(
        request,
        meetings,
        lambda ids: archive_rows(Meeting.objects.filter(id__in=ids)),
        PAGE_SIZE,
        counted=counted,
    )
    passages = search.headlines([m.id for m in page], query) if query else {}
    people = search.matching_people(query, organisation) if query and page.number == 1 else []
    for meeting in page:
        meeting.passage = passages.get(meeting.id, "")

    params = request.GET.copy()
    params.pop("sida", None)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "people": people,
        "params": params.urlencode(),
        "archive_url": reverse("archive:list"),
    }
    template = "archive/archive_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def archived_meeting(request, meeting_id):
    meeting = meeting_for(request, MEETINGS.finished(), meeting_id, "read_archive")
    a3 = build_a3(meeting)
    followed_up = ActionItem.objects.filter(meeting=meeting).for_board().order_by("position", "id")
    return render(
        request,
        "archive/archived_meeting.html",
        {
            "meeting": meeting,
            "a3": a3,
            "participations": a3.participations,
            "followed_up": list(followed_up),
        },
    )


@login_required
@require_GET
def a3_pdf(request, meeting_id):
    """ "Ladda ner PDF": the meeting's members, and kommunledning for finished meetings."""
    meeting = meeting_for(request, MEETINGS, meeting_id, "see")
    data = pdf_for_download(meeting, preparation=wants_preparation(request))
    return pdf_response(data, pdf_filename(meeting))


@require_GET
@personal_link
def participant_a3_pdf(request, participation):
    meeting = participation.meeting
    data = pdf_for_download(meeting, preparation=wants_preparation(request))
    return pdf_response(data, pdf_filename(meeting))
