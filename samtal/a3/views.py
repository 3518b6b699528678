from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from samtal.meetings.access import meeting_for_member, meeting_for_reader
from samtal.meetings.models import Meeting
from samtal.participants.links import personal_link

from .pdf import pdf_filename, pdf_for_download, render_pdf

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
def a3_pdf(request, meeting_id):
    """ "Ladda ner PDF": the meeting's members, and kommunledning for finished meetings."""
    meeting = meeting_for_reader(request, meeting_id, MEETING_QUERYSET)
    data = pdf_for_download(meeting, preparation=wants_preparation(request))
    return pdf_response(data, pdf_filename(meeting))


@login_required
@require_GET
def blank_form_pdf(request, meeting_id):
    """The empty form (header filled in) for those who want paper in the room."""
    meeting = meeting_for_member(request, meeting_id, MEETING_QUERYSET)
    data = render_pdf(meeting, blank=True, preparation=wants_preparation(request))
    return pdf_response(data, pdf_filename(meeting, blank=True))


@require_GET
@personal_link
def participant_a3_pdf(request, participation):
    meeting = participation.meeting
    data = pdf_for_download(meeting, preparation=wants_preparation(request))
    return pdf_response(data, pdf_filename(meeting))
