import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samtal.core.policy import current_organisation, require_reviewer
from samtal.core.spreadsheets import SafeCsvWriter
from samtal.meetings.models import Unit

from . import results as survey_results
from .forms import RoundForm, SurveyForm
from .models import Answer, Invitation, Response, Round, SubmissionNonce

SESSION_KEY = "surveys.answered_rounds"
NONCE_KEY = "surveys.nonces"


def answered_here(request, round):
    return round.pk in request.session.get(SESSION_KEY, [])


def mark_answered(request, round):
    request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), round.pk]
    nonces = request.session.get(NONCE_KEY, {})
    if nonces.pop(str(round.pk), None) is not None:
        request.session[NONCE_KEY] = nonces


def form_nonce(request, round):
    """The one-time key of this browser's form for the round, made when the form is first
    shown. Sending the form claims it (SubmissionNonce), so two fast sends make one answer."""
    nonces = request.session.get(NONCE_KEY, {})
    nonce = nonces.get(str(round.pk))
    if nonce is None:
        nonce = secrets.token_urlsafe(24)
        request.session[NONCE_KEY] = {**nonces, str(round.pk): nonce}
    return nonce


@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The anonymous survey behind a round's shared link. One answer per browser: a marker
    in the session refuses a second submission. Personal links (answer_invited) guarantee
    one answer per person."""
    round = get_object_or_404(
        Round.objects.select_related("instrument", "unit__organisation"), token=token
    )
    return survey_page(request, round)


@require_http_methods(["GET", "POST"])
def answer_invited(request, token):
    """The survey through an invitee's personal link: answered once, whatever the browser."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("round__instrument", "round__unit__organisation"),
        token=token,
    )
    return survey_page(request, invitation.round, invitation)


def survey_page(request, round, invitation=None):
    context = {"round": round, "instrument": round.instrument}
    # A personal link is checked on the invitation; the shared link on this browser's marker.
    already = invitation.answered if invitation else answered_here(request, round)
    if already:
        return render(request, "surveys/already_answered.html", context, status=409)
    if not round.is_open():
        return render(request, "surveys/closed.html", context, status=410)
    statements = list(round.instrument.statements.all())
    units = Unit.objects.filter(is_active=True).order_by("name")
    if round.organisation_id:
        units = units.filter(organisation=round.organisation_id)
    form = SurveyForm(request.POST or None, round=round, statements=statements, units=units)
    nonce = form_nonce(request, round) if invitation is None else ""
    if request.method == "POST" and form.is_valid():
        if invitation is None and request.POST.get("nonce") != nonce:
            # A form from before this browser's session (expired, or another browser):
            # keep the answers and ask to send again with a fresh key.
            context.update(form=form, nonce=nonce, stale=True)
            return render(request, "surveys/answer.html", context, status=400)
        with transaction.atomic():
            if invitation is not None and not invitation.claim():
                return render(request, "surveys/already_answered.html", context, status=409)
            if invitation is None and not SubmissionNonce.claim(round, nonce):
                mark_answered(request, round)
                return render(request, "surveys/already_answered.html", context, status=409)
            response = Response.objects.create(
                round=round,
                function=form.cleaned_data["function"],
                unit=round.unit or form.cleaned_data.get("unit"),
            )
            Answer.objects.bulk_create(
                Answer(response=response, statement=statement, value=value)
                for statement, value in form.values().items()
            )
        if invitation is None:
            mark_answered(request, round)
            return redirect("surveys:thanks", token=round.token)
        return render(request, "surveys/thanks.html", {"round": round})
    context.update(form=form, nonce=nonce)
    return render(request, "surveys/answer.html", context, status=400 if form.is_bound else 200)


@require_GET
def thanks(request, token):
    round = get_object_or_404(Round.objects.select_related("instrument"), token=token)
    if not answered_here(request, round):
        return redirect("surveys:answer", token=token)
    return render(request, "surveys/thanks.html", {"round": round})


def unit_filter(request):
    value = request.GET.get("enhet")
    if not value:
        return None
    try:
        return Unit.objects.filter(organisation=current_organisation(request)).get(pk=int(value))
    except (Unit.DoesNotExist, ValueError):
        raise Http404 from None


@login_required
@require_GET
def results(request, key):
    require_reviewer(request)
    unit = unit_filter(request)
    data = survey_results.compute(key, unit, current_organisation(request))
    if data is None:
        raise Http404
    return render(
        request,
        "surveys/results.html",
        {
            "results": data,
            "chart": survey_results.chart(data),
            "units": Unit.objects.filter(organisation=current_organisation(request)).order_by(
                "name"
            ),
            "unit": unit,
            "min_group": survey_results.MIN_GROUP_SIZE,
        },
    )


@login_required
@require_GET
def export_csv(request, key):
    """The results table as CSV for Excel: UTF-8 with BOM, semicolons, decimal commas.
    Hidden groups (fewer than 5 responses) are left out here too."""
    require_reviewer(request)
    unit = unit_filter(request)
    data = survey_results.compute(key, unit, current_organisation(request))
    if data is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sjalvskattning-{key}.csv"'
    response.write("\ufeff")
    writer = SafeCsvWriter(response, delimiter=";")
    writer.writerow(
        [
            _("Omgång"),
            _("Enhet"),
            _("Funktion"),
            _("Nr"),
            _("Grupp"),
            _("Påstående"),
            _("Antal svar"),
            _("Genomsnitt"),
        ]
    )
    function_labels = dict(Response.Function.choices)
    fmt = survey_results.format_decimal
    for row in data.statements:
        for cell in row["cells"]:
            if cell["avg"] is None:
                continue
            rr = cell["round"]
            writer.writerow(
                [
                    rr.round.name,
                    unit.name if unit else _("Alla"),
                    _("Alla"),
                    row["number"],
                    row["group"],
                    cell["text"],
                    rr.count,
                    fmt(cell["avg"]),
                ]
            )
        for cell in row["by_function"]:
            if cell["avg"] is None:
                continue
            rr = cell["round"]
            writer.writerow(
                [
                    rr.round.name,
                    unit.name if unit else _("Alla"),
                    function_labels[cell["function"]],
                    row["number"],
                    row["group"],
                    cell["text"],
                    rr.by_function.get(cell["function"], 0),
                    fmt(cell["avg"]),
                ]
            )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def rounds(request):
    """Kommunledning's list of rounds with their shareable links, and a form for a new one."""
    require_reviewer(request)
    organisation = current_organisation(request)
    form = RoundForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        round = form.save()
        messages.success(
            request,
            _("Omgången ”%(name)s” är skapad. Dela länken nedan med de svarande.")
            % {"name": round.name},
        )
        return redirect("surveys:rounds")
    all_rounds = (
        Round.objects.with_response_count()
        .filter(organisation=organisation)
        .select_related("instrument", "unit")
        .order_by("-opens_on", "-id")
    )
    return render(
        request,
        "surveys/rounds.html",
        {"form": form, "rounds": all_rounds},
        status=400 if form.is_bound else 200,
    )
