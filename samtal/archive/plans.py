"""After the meeting (seed 003): the handlingsplan of a finished meeting, its PDF, and the
återrapporteringar that gather a unit's reports for its next meeting or the owner's board."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from samtal.a3.views import pdf_response
from samtal.actions.models import ActionItem, ActionPlan, FollowUp, ReportBack
from samtal.core.policy import is_reviewer, may_follow_up_unit, meeting_for
from samtal.meetings.models import Meeting, Unit
from samtal.participants.models import Participation

from .plan_pdf import plan_filename, render_plan_pdf

MEETINGS = Meeting.objects.select_related("unit__organisation", "template_version")
DEFAULT_REPORT_AFTER = datetime.timedelta(days=90)


def owners_prefetch():
    return Prefetch("owners", queryset=Participation.objects.select_related("person"))


def uppdrag(meeting):
    """The meeting's agreed actions, in the A3's order."""
    return list(
        ActionItem.objects.filter(meeting=meeting)
        .exclude(status=ActionItem.Status.CANCELLED)
        .prefetch_related(owners_prefetch())
        .order_by("position", "id")
    )


class PlanForm(forms.Form):
    """When each uppdrag is to be reported back, and a comment for the plan."""

    note = forms.CharField(
        label=gettext_lazy("Kommentar till handlingsplanen (frivillig)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, meeting, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.items = items
        for item in items:
            default = item.report_by or item.due_date or meeting.date + DEFAULT_REPORT_AFTER
            self.fields[f"rapport_{item.pk}"] = forms.DateField(
                label=_("Återrapporteras senast"),
                initial=default,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                error_messages={
                    "required": _("Ange när uppdraget ska återrapporteras."),
                    "invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD."),
                },
            )

    def rows(self):
        return [(item, self[f"rapport_{item.pk}"]) for item in self.items]

    def clean(self):
        data = super().clean()
        for item in self.items:
            name = f"rapport_{item.pk}"
            if data.get(name) and data[name] < self.meeting.date:
                self.add_error(name, _("Återrapporteringen kan inte ligga före samtalet."))
        return data

    def issue(self, user):
        data = self.cleaned_data
        for item in self.items:
            item.report_by = data[f"rapport_{item.pk}"]
            item.save(update_fields=["report_by", "updated_at"])
        plan, _created = ActionPlan.objects.update_or_create(
            meeting=self.meeting,
            defaults={"issued_by": user, "issued_at": timezone.now(), "note": data["note"]},
        )
        return plan


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, meeting_id):
    meeting = meeting_for(request, MEETINGS.finished(), meeting_id, "see")
    issued = ActionPlan.objects.filter(meeting=meeting).select_related("issued_by").first()
    items = uppdrag(meeting)
    status = 200
    form = PlanForm(meeting=meeting, items=items, initial={"note": issued.note if issued else ""})
    if request.method == "POST":
        if not meeting.access.issue_plan:
            raise PermissionDenied
        form = PlanForm(request.POST, meeting=meeting, items=items)
        if form.is_valid():
            form.issue(request.user)
            messages.success(
                request,
                _("Handlingsplanen är utfärdad. Ägarna rapporterar tillbaka på varje uppdrag."),
            )
            return redirect("archive:plan", meeting.pk)
        status = 400
    return render(
        request,
        "archive/plan.html",
        {
            "meeting": meeting,
            "plan": issued,
            "form": form,
            "items": items,
            "may_issue": meeting.access.issue_plan,
        },
        status=status,
    )


@login_required
@require_GET
def plan_pdf(request, meeting_id):
    meeting = meeting_for(request, MEETINGS.finished(), meeting_id, "see")
    issued = ActionPlan.objects.filter(meeting=meeting).select_related("issued_by").first()
    if issued is None:
        raise Http404
    return pdf_response(render_plan_pdf(issued, uppdrag(meeting)), plan_filename(meeting))


# Återrapportering --------------------------------------------------------------------------


def unit_for(request, unit_id):
    unit = get_object_or_404(Unit, pk=unit_id)
    if not may_follow_up_unit(request.user, unit):
        raise PermissionDenied
    return unit


@login_required
@require_http_methods(["GET", "POST"])
def report_backs(request, unit_id):
    """A unit's återrapporteringar; "Sammanställ" gathers the reports not yet in one."""
    unit = unit_for(request, unit_id)
    if request.method == "POST":
        report_back = ReportBack.gather(unit, request.user)
        if report_back is None:
            messages.info(request, _("Det finns inga nya återrapporter att sammanställa."))
            return redirect("archive:report_backs", unit.pk)
        messages.success(request, _("Återrapporteringen är sammanställd."))
        return redirect("archive:report_back", report_back.pk)
    waiting = FollowUp.objects.filter(
        action_item__meeting__unit=unit, report_backs__isnull=True
    ).count()
    return render(
        request,
        "archive/report_backs.html",
        {
            "unit": unit,
            "report_backs": list(unit.report_backs.select_related("created_by", "noted_by")),
            "waiting": waiting,
        },
    )


class NoteForm(forms.Form):
    noted_on = forms.DateField(
        label=gettext_lazy("Antecknad den"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Ange datum då återrapporteringen antecknades."),
            "invalid": gettext_lazy("Ange ett datum som ÅÅÅÅ-MM-DD."),
        },
    )

    def __init__(self, *args, report_back, **kwargs):
        super().__init__(*args, **kwargs)
        self.report_back = report_back

    def clean_noted_on(self):
        date = self.cleaned_data["noted_on"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Datumet kan inte ligga i framtiden."))
        if date < timezone.localdate(self.report_back.created_at):
            raise forms.ValidationError(
                _("Återrapporteringen kan inte antecknas före den sammanställdes.")
            )
        return date


def grouped_reports(report_back):
    """The reports of an återrapportering by meeting and uppdrag, in the A3's order."""
    reports = list(
        report_back.follow_ups.select_related(
            "reporter", "author", "action_item__meeting"
        ).order_by(
            "action_item__meeting__date",
            "action_item__position",
            "action_item_id",
            "reported_on",
            "id",
        )
    )
    groups = []
    for report in reports:
        item = report.action_item
        if not groups or groups[-1]["item"].pk != item.pk:
            groups.append({"item": item, "meeting": item.meeting, "reports": []})
        groups[-1]["reports"].append(report)
    return groups


@login_required
@require_http_methods(["GET", "POST"])
def report_back(request, report_back_id):
    report_back = get_object_or_404(
        ReportBack.objects.select_related("unit", "created_by", "noted_by"), pk=report_back_id
    )
    if not may_follow_up_unit(request.user, report_back.unit):
        raise PermissionDenied
    may_note = is_reviewer(request.user, report_back.unit.organisation_id)
    form = NoteForm(report_back=report_back, initial={"noted_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if not may_note:
            raise PermissionDenied
        form = NoteForm(request.POST, report_back=report_back)
        if form.is_valid():
            report_back.note(request.user, form.cleaned_data["noted_on"])
            messages.success(request, _("Återrapporteringen är antecknad."))
            return redirect("archive:report_back", report_back.pk)
        status = 400
    return render(
        request,
        "archive/report_back.html",
        {
            "report_back": report_back,
            "groups": grouped_reports(report_back),
            "form": form,
            "may_note": may_note,
        },
        status=status,
    )
