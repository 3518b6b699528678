"""The meeting's page (its facts and its A3) and the empty form to print."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from samtal.actions.models import ActionItem, ReportBack
from samtal.core.policy import meeting_for
from samtal.meetings.models import Meeting

from .document import build_a3
from .pdf import pdf_filename, render_pdf

MEETING_QUERYSET = Meeting.objects.select_related(
    "unit__organisation", "template_version__template"
)


def pdf_response(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "private, no-store"
    return response


def wants_preparation(request):
    return request.GET.get("underlag") in ("1", "ja", "on")


@login_required
@require_GET
def meeting_detail(request, meeting_id):
    meeting = meeting_for(request, MEETING_QUERYSET, meeting_id, "see")
    a3 = build_a3(meeting)
    participations = a3.participations
    earlier_actions = []
    report_back = None
    if meeting.is_planned:
        # The meeting opens with the unit's latest återrapportering (seed 003).
        report_back = (
            ReportBack.objects.filter(unit=meeting.unit).select_related("noted_by").first()
        )
        earlier_actions = list(
            ActionItem.objects.open_for_unit(meeting.unit, before_meeting=meeting).prefetch_related(
                "owners__person"
            )
        )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "participations": participations,
            "a3": a3,
            "materials": list(meeting.materials.all()),
            "access": meeting.access,
            "earlier_actions": earlier_actions,
            "report_back": report_back,
            "missing_for_start": meeting.missing_for_start() if meeting.is_planned else [],
        },
    )


@login_required
@require_GET
def blank_form_pdf(request, meeting_id):
    """The empty form (header filled in) for those who want paper in the room."""
    meeting = meeting_for(request, MEETING_QUERYSET, meeting_id, "see")
    data = render_pdf(meeting, blank=True, preparation=wants_preparation(request))
    return pdf_response(data, pdf_filename(meeting, blank=True))
