"""The meeting's page (its facts and its A3), the empty form to print (per meeting and per
template version), and the template editor's projector preview."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from samtal.actions.models import ActionItem, ReportBack
from samtal.conversation_templates.models import TemplateVersion
from samtal.core.policy import current_organisation, may_edit_template, meeting_for
from samtal.meetings.models import Meeting
from samtal.organisations.models import Organisation

from .document import build_a3, empty_a3
from .pdf import pdf_filename, render_pdf, render_template_pdf, template_pdf_filename

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


def version_for(request, version_id):
    """A published version of a template the organisation worked in may use, for anyone
    logged in; a draft only for those who may edit its template. Another organisation's
    template is not found."""
    organisation = current_organisation(request)
    version = get_object_or_404(
        TemplateVersion.objects.select_related("template")
        .prefetch_related("steps")
        .available_to(organisation),
        pk=version_id,
    )
    if version.is_draft and not may_edit_template(request.user, version.template, organisation):
        raise PermissionDenied
    return version


def home_organisation(request):
    """Whose resident term an empty template form uses: the organisation worked in."""
    return current_organisation(request) or Organisation.objects.order_by("pk").first()


@login_required
@require_GET
def template_blank_pdf(request, version_id):
    """A template version's empty form, with room to write by hand (and the editor's PDF
    preview of a draft)."""
    version = version_for(request, version_id)
    data = render_template_pdf(
        version, home_organisation(request), preparation=wants_preparation(request)
    )
    response = pdf_response(data, template_pdf_filename(version))
    if request.GET.get("visa"):
        response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def template_projector_preview(request, version_id):
    """How each step of a version looks on the projector, before any meeting uses it."""
    version = version_for(request, version_id)
    a3 = empty_a3(version, home_organisation(request))
    contents = [content for box in a3.boxes for content in box.steps]
    if not contents:
        return render(
            request, "a3/live/preview.html", {"version": version, "content": None}, status=200
        )
    try:
        number = min(max(int(request.GET.get("steg", 1)), 1), len(contents))
    except ValueError:
        number = 1
    content = contents[number - 1]
    return render(
        request,
        "a3/live/preview.html",
        {
            "version": version,
            "content": content,
            "step": content.step,
            "step_number": number,
            "steps": contents,
            "total_minutes": sum(c.step.minutes for c in contents),
        },
    )
