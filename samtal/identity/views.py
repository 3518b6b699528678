"""Signing out (with SAML single logout where the provider offers it) and the page shown when
allauth would ask for a sign-up form, which Samtal never uses."""

import logging

from allauth.socialaccount.providers.saml import views as saml_views
from allauth.socialaccount.providers.saml.utils import build_auth
from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from onelogin.saml2.errors import OneLogin_Saml2_Error

from .login import SSO_SESSION_KEY
from .models import IdentityProvider

logger = logging.getLogger(__name__)


@require_POST
def logout(request):
    """Ends the session here; after a SAML sign-in whose provider has a logout address, the
    browser then goes to the provider with a LogoutRequest, and the provider's answer comes
    back to /sso/saml/<kortnamn>/sls/, which lands on the login page."""
    single_logout = saml_logout_url(request, request.session.get(SSO_SESSION_KEY) or {})
    auth_logout(request)
    if not single_logout:
        return redirect(settings.LOGOUT_REDIRECT_URL)
    # A page that goes on to the provider (a redirect answering a posted form would be stopped
    # by the Content-Security-Policy's form-action 'self').
    return render(request, "identity/single_logout.html", {"url": single_logout})


def saml_logout_url(request, sso):
    provider = (
        IdentityProvider.objects.active()
        .filter(slug=sso.get("provider"), protocol=IdentityProvider.Protocol.SAML)
        .select_related("app")
        .first()
    )
    if provider is None:
        return None
    try:
        auth = build_auth(request, provider.app.get_provider(request))
        if not auth.get_slo_url():
            return None
        return auth.logout(
            return_to=request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
            name_id=sso.get("uid"),
        )
    except (OneLogin_Saml2_Error, KeyError, ValueError) as error:
        logger.warning("SAML single logout not started for %s: %s", provider.slug, error)
        return None


@csrf_exempt  # the provider may send its logout message with HTTP-POST
def saml_sls(request, organization_slug):
    """allauth's Single Logout Service, with its plain-text (English) refusal as a page."""
    response = saml_views.sls(request, organization_slug=organization_slug)
    if response.status_code != 400:
        return response
    message = _("Utloggningsbeskedet från inloggningstjänsten kunde inte godkännas.")
    return render(request, "identity/login_error.html", {"message": message}, status=400)


def signup_refused(request):
    return render(
        request,
        "identity/login_error.html",
        {
            "message": _(
                "Kontot kunde inte skapas utifrån uppgifterna från inloggningstjänsten. "
                "Be organisationens administratör om hjälp."
            )
        },
        status=400,
    )
