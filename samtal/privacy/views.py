"""Staff with the permission privacy.handle_personal_data answer requests about a person."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samtal.participants.models import Person
from samtal.participants.planning import person_for_user

from . import erasure, register, walk
from .forms import ForgetForm, PersonSearchForm
from .models import PrivacyRequest

PERMISSION = "privacy.handle_personal_data"
User = get_user_model()


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def search(request):
    form = PersonSearchForm(request.GET or None)
    people = accounts = None
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        query = Q(user__username__iexact=q)
        for variant in walk.case_variants(q):
            query |= Q(name__icontains=variant) | Q(email__icontains=variant)
        people = Person.objects.filter(query).order_by("name")[:50]
        accounts = User.objects.filter(person__isnull=True).filter(
            Q(username__iexact=q)
            | Q(email__iexact=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
        )[:50]
    requests = PrivacyRequest.objects.select_related("done_by")[:20]
    return render(
        request,
        "privacy/search.html",
        {"form": form, "people": people, "accounts": accounts, "requests": requests},
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def account(request, user_id):
    """An account that never took part in a meeting gets its person record, so that its
    data can be extracted or erased like anyone's."""
    user = get_object_or_404(User, pk=user_id)
    return redirect("privacy:person", person_for_user(user).pk)


def log(request, person, kind, case_reference="", summary=None):
    PrivacyRequest.objects.create(
        kind=kind,
        person_number=person.pk,
        case_reference=case_reference,
        done_by=request.user,
        summary=summary or {},
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def person(request, person_id):
    person = get_object_or_404(Person.objects.select_related("user"), pk=person_id)
    form = ForgetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erase = form.cleaned_data["mode"] == PrivacyRequest.Kind.ERASE
        summary = erasure.forget(person, erase=erase)
        log(
            request, person, form.cleaned_data["mode"], form.cleaned_data["case_reference"], summary
        )
        messages.success(
            request,
            _("Personen är nu %(label)s. Ändrat: %(what)s.")
            % {
                "label": erasure.pseudonym(person),
                "what": ", ".join(f"{k} {v}" for k, v in summary.items()) or _("inget"),
            },
        )
        return redirect("privacy:person", person.pk)
    extract = register.build(person)
    return render(
        request,
        "privacy/person.html",
        {"person": person, "extract": extract, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def extract_file(request, person_id, fmt):
    """The register extract as a file to hand over: readable HTML or machine-readable JSON."""
    if fmt not in ("html", "json"):
        raise Http404
    person = get_object_or_404(Person.objects.select_related("user"), pk=person_id)
    extract = register.build(person)
    log(request, person, PrivacyRequest.Kind.EXTRACT, summary={"format": fmt})
    filename = f"registerutdrag-person-{person.pk}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(register.as_json(extract), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    response = render(
        request, "privacy/extract_document.html", {"person": person, "extract": extract}
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.html"'
    return response
