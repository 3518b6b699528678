from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samtal.core.paging import paginate_by_id
from samtal.core.policy import current_organisation, is_reviewer, require_board
from samtal.participants.links import make_token
from samtal.participants.models import Participation

from . import export
from .forms import BoardFilterForm, FollowUpForm
from .links import report_link
from .models import ActionItem, FollowUp, board_order

PAGE_SIZE = 30


def action_for_user(request, action_id):
    """An action the user may follow up (and report on); 404 unknown, 403 not theirs.

    Everyone who sees an action on the board may report on it: owners, the meeting's
    facilitator, and kommunledning (ActionItem.objects.visible_to holds the rule).
    """
    action = get_object_or_404(
        ActionItem.objects.select_related("meeting__unit", "meeting__template_version"),
        pk=action_id,
    )
    visible = ActionItem.objects.visible_to(request.user, action.meeting.unit.organisation_id)
    if not visible.filter(pk=action.pk).exists():
        raise PermissionDenied
    return action


def owners_prefetch():
    return Prefetch("owners", queryset=Participation.objects.select_related("person"))


def board_items(request, today):
    organisation = current_organisation(request)
    visible = ActionItem.objects.visible_to(request.user, organisation)
    form = BoardFilterForm(
        request.GET or None,
        visible=visible,
        everything=is_reviewer(request.user, organisation),
        organisation=organisation,
    )
    items = form.filter(visible, today).for_board(today)
    return form, items


@login_required
@require_GET
def board(request):
    require_board(request)
    today = timezone.localdate()
    form, items = board_items(request, today)
    page = paginate_by_id(
        request,
        items.order_by(*board_order()),
        # The page's ids come from the visible, filtered actions; the cards show every
        # report (prefetched), so the latest-report subqueries of for_board() are not needed.
        lambda ids: (
            ActionItem.objects.filter(id__in=ids)
            .select_related("meeting__unit")
            .prefetch_related(
                owners_prefetch(),
                Prefetch(
                    "follow_ups",
                    queryset=FollowUp.objects.select_related("reporter", "author"),
                    to_attr="reports",
                ),
            )
        ),
        PAGE_SIZE,
    )
    for item in page:
        item.overdue = item.is_overdue(today)
    params = request.GET.copy()
    params.pop("sida", None)
    template = "actions/board.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "params": params.urlencode(),
            "today": today,
            "board_url": reverse("actions:board"),
            "archive_url": archive_url_for(request.user, current_organisation(request)),
        },
    )


def _export(request, content_type, extension, build):
    require_board(request)
    today = timezone.localdate()
    _form, items = board_items(request, today)
    items = items.prefetch_related(owners_prefetch())
    response = HttpResponse(build(items, today), content_type=content_type)
    filename = f"atgarder-{today.isoformat()}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def export_csv(request):
    return _export(request, "text/csv; charset=utf-8", "csv", export.as_csv)


@login_required
@require_GET
def export_xlsx(request):
    return _export(
        request,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        export.as_xlsx,
    )


def archive_url_for(user, organisation):
    """Kommunledning can open the archived A3 an action came from."""
    return reverse("archive:list") if is_reviewer(user, organisation) else None


def _report_page(request, action, template, author, redirect_to, extra=None, reporter=None):
    if request.method == "POST":
        form = FollowUpForm(request.POST, request.FILES, action_item=action)
        if form.is_valid():
            form.save(author=author, reporter=reporter)
            messages.success(request, _("Återrapporten är sparad."))
            return redirect(redirect_to)
    else:
        form = FollowUpForm(action_item=action)
    context = {
        "action": action,
        "owners": list(action.owners.select_related("person")),
        "follow_ups": list(action.follow_ups.select_related("author", "reporter")),
        "form": form,
        "overdue": action.is_overdue(),
        "archive_url": archive_url_for(request.user, action.meeting.unit.organisation_id),
        **(extra or {}),
    }
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, action_id):
    action = action_for_user(request, action_id)
    return _report_page(
        request, action, "actions/action_detail.html", request.user, request.get_full_path()
    )


@login_required
@require_GET
def attachment(request, action_id, follow_up_id):
    """A report's attachment, for those who may see the action."""
    action = action_for_user(request, action_id)
    report = get_object_or_404(action.follow_ups.exclude(attachment=""), pk=follow_up_id)
    response = FileResponse(
        report.attachment.open("rb"),
        as_attachment=True,
        filename=report.attachment_name or "bilaga",
        content_type=report.attachment_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@report_link
@require_http_methods(["GET", "POST"])
def action_report_by_link(request, action, participation):
    return _report_page(
        request,
        action,
        "actions/action_report_link.html",
        participation.person.user,
        request.get_full_path(),
        {
            "participation": participation,
            "personal_page": reverse("participants:preparation", args=[make_token(participation)])
            if participation.meeting.is_finished
            else None,
        },
        reporter=participation.person,
    )
