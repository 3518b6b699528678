"""Whoever holds the permission privacy.handle_personal_data answers requests about a person.

An organisation's privacy officer answers for the organisation they work in: its people, and
in an extract or an erasure only its rows. Installation staff (is_staff) answer for the whole
installation.
"""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samtal.core.policy import current_organisation
from samtal.participants.models import Person
from samtal.participants.planning import person_for_user

from . import erasure, register, walk
from .forms import ForgetForm, PersonSearchForm
from .models import PrivacyRequest

PERMISSION = "privacy.handle_personal_data"
User = get_user_model()


def scope(request):
    """None for installation staff (everything), else the organisation worked in."""
    if request.user.is_staff:
        return None
    organisation = current_organisation(request)
    if organisation is None:
        raise Http404
    return organisation


def people(request):
    organisation = scope(request)
    found = Person.objects.select_related("user", "organisation")
    return found if organisation is None else found.filter(organisation=organisation)


def person_or_404(request, person_id):
    return get_object_or_404(people(request), pk=person_id)


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_GET
def search(request):
    form = PersonSearchForm(request.GET or None)
    found = accounts = None
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        query = Q(user__username__iexact=q)
        for variant in walk.case_variants(q):
            query |= Q(name__icontains=variant) | Q(email__icontains=variant)
        found = people(request).filter(query).order_by("name")[:50]
        organisation = scope(request)
        if organisation is None:  # accounts without a person record anywhere
            accounts = User.objects.filter(person__isnull=True)
        else:  # members without a person record in this organisation
            accounts = User.objects.filter(memberships__organisation=organisation).exclude(
                person__organisation=organisation
            )
        accounts = accounts.filter(
            Q(username__iexact=q)
            | Q(email__iexact=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
        )[:50]
    requests = PrivacyRequest.objects.select_related("done_by")
    if scope(request) is not None:
        requests = requests.filter(person_number__in=people(request).values("pk"))
    requests = requests[:20]
    return render(
        request,
        "privacy/search.html",
        {"form": form, "people": found, "accounts": accounts, "requests": requests},
    )


@login_required
@permission_required(PERMISSION, raise_exception=True)
@require_POST
def account(request, user_id):
    """An account that never took part in a meeting gets its person record, so that its
    data can be extracted or erased like anyone's."""
    organisation = scope(request)
    users = User.objects.all()
    if organisation is not None:
        users = users.filter(memberships__organisation=organisation)
    user = get_object_or_404(users, pk=user_id)
    where = organisation or current_organisation(request)
    if where is None:
        raise Http404
    return redirect("privacy:person", person_for_user(user, where.pk).pk)


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
    person = person_or_404(request, person_id)
    form = ForgetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        erase = form.cleaned_data["mode"] == PrivacyRequest.Kind.ERASE
        summary = erasure.forget(person, erase=erase, organisation=scope(request))
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
    extract = register.build(person, scope(request))
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
    person = person_or_404(request, person_id)
    extract = register.build(person, scope(request))
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
