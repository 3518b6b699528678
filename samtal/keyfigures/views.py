"""Choosing a meeting's key figures: search Kolada, add with a comparison, remove, favourites.

Searching and looking up names ask Kolada while the facilitator waits (with a short timeout);
the values themselves are fetched by the background job.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .access import meeting_for_key_figures
from .choosing import add_key_figure
from .forms import ChooseForm, SearchForm
from .kolada import KoladaClient, KoladaError
from .models import Favourite
from .tasks import enqueue_refresh

SEARCH_TIMEOUT = 8


def _client():
    return KoladaClient(timeout=min(settings.KOLADA_TIMEOUT, SEARCH_TIMEOUT))


def _manage_url(meeting, anchor=""):
    return reverse("keyfigures:manage", args=[meeting.pk]) + anchor


def _refuse_if_started(request, meeting):
    """Once the meeting has started its key figures are what the room saw: no changes."""
    if meeting.is_planned:
        return None
    messages.error(
        request,
        _("Samtalet har startat. Nyckeltalen är låsta så att arkivet visar det som rummet såg."),
    )
    return redirect(_manage_url(meeting))


@login_required
@require_http_methods(["GET"])
def manage(request, meeting_id):
    meeting = meeting_for_key_figures(request, meeting_id)
    organisation = meeting.unit.organisation
    form = SearchForm(request.GET or None)
    results, search_error = None, ""
    if form.is_bound and form.is_valid() and settings.KOLADA_ENABLED:
        try:
            with _client() as client:
                results = client.search_kpis(form.cleaned_data["q"])
        except KoladaError as error:
            search_error = str(error)
    chosen = list(meeting.key_figures.all())
    chosen_ids = {(k.kpi_id, k.ou_id) for k in chosen}
    favourites = [
        f
        for f in Favourite.objects.filter(unit=meeting.unit)
        if (f.kpi_id, f.ou_id) not in chosen_ids
    ]
    context = {
        "meeting": meeting,
        "form": form,
        "results": results,
        "search_error": search_error,
        "chosen": chosen,
        "chosen_kpis": {k.kpi_id for k in chosen if not k.ou_id},
        "favourites": favourites,
        "has_municipality": bool(organisation.kolada_municipality_id),
        "kolada_enabled": settings.KOLADA_ENABLED,
    }
    template = "keyfigures/manage.html"
    if request.htmx and request.htmx.target == "sokresultat":
        template += "#results"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def choose(request, meeting_id, kpi_id):
    meeting = meeting_for_key_figures(request, meeting_id)
    refused = _refuse_if_started(request, meeting)
    if refused:
        return refused
    organisation = meeting.unit.organisation
    if not organisation.kolada_municipality_id or not settings.KOLADA_ENABLED:
        return redirect(_manage_url(meeting))
    context = {"meeting": meeting, "kpi_id": kpi_id}
    template = "keyfigures/choose.html"
    if request.htmx and request.method == "GET":
        template += "#choose-form"
    try:
        with _client() as client:
            kpi = client.kpi(kpi_id)
            form = ChooseForm(
                request.POST or None,
                client=client,
                kpi=kpi,
                municipality_id=organisation.kolada_municipality_id,
            )
            context.update(kpi=kpi, form=form)
            if request.method == "POST" and form.is_valid():
                key_figure = add_key_figure(
                    meeting, form.choice, keep_as_favourite=form.cleaned_data["keep_as_favourite"]
                )
                if key_figure is None:
                    messages.error(request, _("Nyckeltalet finns redan i samtalets underlag."))
                else:
                    messages.success(
                        request,
                        _("”%(title)s” är tillagt. Värdena hämtas från Kolada i bakgrunden.")
                        % {"title": key_figure.title},
                    )
                return redirect(_manage_url(meeting, "#valda"))
    except KoladaError as error:
        context["kolada_error"] = str(error)
        status = 502 if request.method == "POST" else 200
        return render(request, template, context, status=status)
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_POST
def remove(request, meeting_id, key_figure_id):
    meeting = meeting_for_key_figures(request, meeting_id)
    refused = _refuse_if_started(request, meeting)
    if refused:
        return refused
    key_figure = get_object_or_404(meeting.key_figures, pk=key_figure_id)
    key_figure.delete()
    messages.success(
        request,
        _("”%(title)s” är borttaget ur underlaget. Det finns kvar bland enhetens favoriter.")
        % {"title": key_figure.title}
        if Favourite.objects.filter(
            unit=meeting.unit, kpi_id=key_figure.kpi_id, ou_id=key_figure.ou_id
        ).exists()
        else _("”%(title)s” är borttaget ur underlaget.") % {"title": key_figure.title},
    )
    return redirect(_manage_url(meeting, "#valda"))


@login_required
@require_POST
def favourite_add(request, meeting_id, favourite_id):
    meeting = meeting_for_key_figures(request, meeting_id)
    refused = _refuse_if_started(request, meeting)
    if refused:
        return refused
    favourite = get_object_or_404(Favourite, pk=favourite_id, unit=meeting.unit)
    if not meeting.unit.organisation.kolada_municipality_id:
        return redirect(_manage_url(meeting))
    key_figure = add_key_figure(meeting, favourite.choice_values(), keep_as_favourite=False)
    if key_figure:
        messages.success(
            request,
            _("”%(title)s” är tillagt. Värdena hämtas från Kolada i bakgrunden.")
            % {"title": key_figure.title},
        )
    return redirect(_manage_url(meeting, "#valda"))


@login_required
@require_POST
def favourite_remove(request, meeting_id, favourite_id):
    meeting = meeting_for_key_figures(request, meeting_id)
    favourite = get_object_or_404(Favourite, pk=favourite_id, unit=meeting.unit)
    favourite.delete()
    messages.success(
        request,
        _("”%(title)s” är inte längre en favorit för %(unit)s.")
        % {"title": favourite.title, "unit": meeting.unit.name},
    )
    return redirect(_manage_url(meeting, "#favoriter"))


@login_required
@require_POST
def refresh(request, meeting_id):
    meeting = meeting_for_key_figures(request, meeting_id)
    refused = _refuse_if_started(request, meeting)
    if refused:
        return refused
    count = enqueue_refresh(meeting, only_stale=False)
    if count:
        messages.success(
            request, _("Nya värden hämtas från Kolada i bakgrunden. Ladda om sidan om en stund.")
        )
    return redirect(_manage_url(meeting, "#valda"))
