"""The organisation a user works in: one per request, chosen among their memberships and kept
in the session (a consultant facilitator may belong to several)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from samtal.core.policy import memberships_of

from .models import Organisation

SESSION_KEY = "samtal_organisation"


def organisations_of(user):
    """The organisations the user may work in (a superuser: all of them)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(Organisation.objects.order_by("name"))
    return sorted(
        (member.organisation for member in memberships_of(user).values()), key=lambda o: o.name
    )


def choose(request, organisations):
    chosen = request.session.get(SESSION_KEY)
    for organisation in organisations:
        if organisation.pk == chosen:
            return organisation
    return organisations[0] if organisations else None


class CurrentOrganisationMiddleware:
    """Sets request.organisations and request.organisation (worked out when first used)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisations = SimpleLazyObject(lambda: organisations_of(request.user))
        request.organisation = SimpleLazyObject(lambda: choose(request, request.organisations))
        return self.get_response(request)


def current(request):
    """The current Organisation, or None."""
    organisation = getattr(request, "organisation", None)
    if not organisation:  # evaluates the lazy object; None when the user has no organisation
        return None
    return getattr(organisation, "_wrapped", organisation)


def context(request):
    """The header's organisation switcher."""
    return {
        "current_organisation": SimpleLazyObject(lambda: current(request)),
        "organisations": getattr(request, "organisations", []),
    }


@login_required
@require_POST
def switch(request):
    """Work in another of the user's organisations."""
    wanted = request.POST.get("organisation")
    for organisation in request.organisations:
        if str(organisation.pk) == wanted:
            request.session[SESSION_KEY] = organisation.pk
            messages.success(request, _("Du arbetar nu i %(name)s.") % {"name": organisation})
            break
    else:
        messages.error(request, _("Du är inte medlem i den organisationen."))
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = ""
    return redirect(target or "meetings:mine")
