"""The organisation administrator's single sign-on pages: the organisation's identity
providers (OpenID Connect, SAML 2.0), their settings, the addresses to give the provider's
administrators, and the group → role mapping."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from samtal.identity.forms import IdentityProviderForm
from samtal.identity.models import IdentityProvider

from .views import organisation_admin

PROTOCOLS = {"oidc": IdentityProvider.Protocol.OIDC, "saml": IdentityProvider.Protocol.SAML}


def addresses(request, provider):
    """What the identity provider's administrators need from Samtal, as absolute URLs."""

    def url(name, **kwargs):
        return request.build_absolute_uri(reverse(name, kwargs=kwargs))

    if provider.is_saml:
        slug = {"organization_slug": provider.slug}
        metadata = url("saml_metadata", **slug)
        sp_entity_id = provider.app.settings.get("sp", {}).get("entity_id") or metadata
        return [
            (_("Entity ID (Samtal)"), sp_entity_id),
            (_("Assertion Consumer Service (ACS, HTTP-POST)"), url("saml_acs", **slug)),
            (_("Single Logout Service (HTTP-Redirect)"), url("saml_sls", **slug)),
            (_("Samtals metadata"), metadata),
        ]
    return [
        (
            _("Omdirigerings-URI (redirect URI)"),
            url("openid_connect_callback", provider_id=provider.slug),
        ),
    ]


@login_required
@require_GET
@organisation_admin
def providers(request, organisation):
    rows = [
        {"provider": provider, "addresses": addresses(request, provider)}
        for provider in organisation.identity_providers.select_related("app")
    ]
    return render(
        request,
        "administration/sso_list.html",
        {"organisation": organisation, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
@organisation_admin
def provider_create(request, organisation, protocol):
    if protocol not in PROTOCOLS:
        raise Http404
    form = IdentityProviderForm(
        request.POST or None, organisation=organisation, protocol=PROTOCOLS[protocol]
    )
    if request.method == "POST" and form.is_valid():
        provider = form.save()
        messages.success(
            request,
            _(
                "Inloggningen ”%(name)s” är sparad. Ge inloggningstjänstens administratörer "
                "adresserna nedan."
            )
            % {"name": provider.name},
        )
        return redirect("administration:sso_edit", identity_provider_id=provider.pk)
    return render(
        request,
        "administration/sso_form.html",
        {"organisation": organisation, "form": form, "provider": None},
        status=422 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@organisation_admin
def provider_edit(request, organisation, identity_provider_id):
    provider = get_object_or_404(
        organisation.identity_providers.select_related("app"), pk=identity_provider_id
    )
    form = IdentityProviderForm(request.POST or None, organisation=organisation, instance=provider)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Inloggningen ”%(name)s” är sparad.") % {"name": provider.name})
        return redirect("administration:sso_edit", identity_provider_id=provider.pk)
    return render(
        request,
        "administration/sso_form.html",
        {
            "organisation": organisation,
            "form": form,
            "provider": provider,
            "addresses": addresses(request, provider),
        },
        status=422 if form.is_bound else 200,
    )
