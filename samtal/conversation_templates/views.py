"""The template editor: the organisation's process owner copies a version to a draft,
edits it, previews it, publishes it as a new version, and exports or imports templates.

An organisation sees the installation's shared templates and its own, never another
organisation's (404). Copying a shared template makes it the organisation's own; only
installation staff change a shared template itself."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samtal.core.policy import current_organisation, may_edit_template, may_edit_templates

from . import editing
from .forms import ImportForm, VersionForm, step_formset
from .models import ConversationTemplate, Step, TemplateVersion


def editors_only(view):
    """The process owner's views (samtal.core.policy.may_edit_templates); used below
    login_required and the method check, so those answer first."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not may_edit_templates(request.user, current_organisation(request)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def versions_for(request):
    """The versions the organisation worked in may see."""
    return TemplateVersion.objects.select_related("template").available_to(
        current_organisation(request)
    )


def draft_or_404(request, draft_id):
    """A draft the user may edit: of the organisation's own template (or, for installation
    staff, of a shared one); any other is not found."""
    draft = get_object_or_404(versions_for(request), pk=draft_id, is_draft=True)
    if not may_edit_template(request.user, draft.template, current_organisation(request)):
        raise Http404
    return draft


@login_required
@require_GET
@editors_only
def template_list(request):
    return _render_list(request, ImportForm())


def _render_list(request, import_form, status=200):
    organisation = current_organisation(request)
    templates = (
        ConversationTemplate.objects.available_to(organisation)
        .select_related("organisation")
        .prefetch_related("versions__steps")
    )
    rows = []
    for template in templates:
        versions = sorted(template.versions.all(), key=lambda v: -v.number)
        editable = may_edit_template(request.user, template, organisation)
        rows.append(
            {
                "template": template,
                "shared": template.organisation_id is None,
                "editable": editable,
                "published": [v for v in versions if not v.is_draft],
                "drafts": [v for v in versions if v.is_draft] if editable else [],
            }
        )
    return render(
        request,
        "conversation_templates/list.html",
        {"rows": rows, "import_form": import_form, "organisation": organisation},
        status=status,
    )


@login_required
@require_POST
@editors_only
def copy_version(request, version_id):
    version = get_object_or_404(versions_for(request), pk=version_id, is_draft=False)
    organisation = current_organisation(request)
    with transaction.atomic():
        if may_edit_template(request.user, version.template, organisation):
            draft = editing.copy_to_draft(version)
        elif organisation is not None:  # a shared template becomes the organisation's own
            draft = editing.copy_to_organisation(version, organisation)
        else:
            raise PermissionDenied
    messages.success(
        request,
        _("Ett utkast av %(name)s, version %(number)s, är skapat. Publicera det när det är klart.")
        % {"name": version.template.name, "number": version.number},
    )
    return redirect("conversation_templates:edit", draft.pk)


def _initial_steps(draft):
    return [
        {**model_to_dict(step, exclude=["id", "version", "order"]), "ORDER": index}
        for index, step in enumerate(draft.steps.all(), start=1)
    ]


@login_required
@require_http_methods(["GET", "POST"])
@editors_only
def edit_draft(request, draft_id):
    draft = draft_or_404(request, draft_id)
    if request.method == "POST":
        form = VersionForm(request.POST, instance=draft)
        formset = step_formset()(request.POST, prefix="steg")
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                draft = form.save()
                if not form.fields["name"].disabled:
                    draft.template.name = form.cleaned_data["name"]
                    draft.template.save(update_fields=["name"])
                draft.steps.all().delete()
                steps = formset.steps_in_order()
                for order, step in enumerate(steps, start=1):
                    step.version, step.order = draft, order
                Step.objects.bulk_create(steps)
            action = request.POST.get("action")
            if action == "add":
                return redirect(
                    reverse("conversation_templates:edit", args=[draft.pk]) + "?nytt=1#nytt-steg"
                )
            if action == "publish":
                return _publish(request, draft)
            messages.success(request, _("Utkastet är sparat."))
            return redirect("conversation_templates:edit", draft.pk)
        status = 400
    else:
        form = VersionForm(instance=draft)
        extra = 1 if request.GET.get("nytt") else 0
        formset = step_formset(extra=extra)(initial=_initial_steps(draft), prefix="steg")
        status = 200
    return _render_edit(request, draft, form, formset, status=status)


def _render_edit(request, draft, form, formset, problems=(), status=200):
    total = 0
    for step_form in formset.forms:
        value = step_form["minutes"].value()
        deleted = step_form["DELETE"].value() if "DELETE" in step_form.fields else False
        if str(value).isdigit() and not deleted:
            total += int(value)
    return render(
        request,
        "conversation_templates/edit.html",
        {
            "draft": draft,
            "form": form,
            "formset": formset,
            "total_minutes": total,
            "problems": problems,
        },
        status=status,
    )


def _publish(request, draft):
    try:
        editing.publish(draft)
    except ValidationError as error:
        form = VersionForm(instance=draft)
        formset = step_formset()(initial=_initial_steps(draft), prefix="steg")
        return _render_edit(request, draft, form, formset, problems=error.messages, status=400)
    messages.success(
        request,
        _("%(name)s, version %(number)s, är publicerad och kan väljas i Nytt samtal.")
        % {"name": draft.template.name, "number": draft.number},
    )
    return redirect("conversation_templates:list")


@login_required
@require_POST
@editors_only
def delete_draft(request, draft_id):
    draft = draft_or_404(request, draft_id)
    template = draft.template
    draft.delete()
    if not template.versions.exists():
        template.delete()
    messages.success(request, _("Utkastet är borttaget."))
    return redirect("conversation_templates:list")


@login_required
@require_GET
@editors_only
def export_version(request, version_id):
    version = get_object_or_404(versions_for(request), pk=version_id)
    if version.is_draft and not may_edit_template(
        request.user, version.template, current_organisation(request)
    ):
        raise Http404
    response = HttpResponse(editing.export_json(version), content_type="application/json")
    name = slugify(version.template.name.replace("å", "a").replace("ä", "a").replace("ö", "o"))
    response["Content-Disposition"] = (
        f'attachment; filename="mall-{name or "samtal"}-version-{version.number}.json"'
    )
    return response


@login_required
@require_POST
@editors_only
def import_template(request):
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            draft = editing.import_draft(
                form.cleaned_data["file"].read(), current_organisation(request)
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            messages.success(
                request,
                _("Mallen är importerad som ett utkast. Granska den och publicera den."),
            )
            return redirect("conversation_templates:edit", draft.pk)
    return _render_list(request, form, status=400)
