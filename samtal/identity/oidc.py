"""allauth's OpenID Connect views with one difference: the ID token's signature is always
checked against the provider's published keys (allauth skips it when the token came straight
from the token endpoint, which the specification allows; checking costs one cached fetch and
catches a misconfigured or impersonated provider)."""

import requests
from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _


class SignatureCheckingAdapter(OpenIDConnectOAuth2Adapter):
    def _decode_id_token(self, app, id_token):
        self.did_fetch_access_token = False
        return super()._decode_id_token(app, id_token)


def run(view_class, request, provider_id):
    try:
        return view_class.adapter_view(SignatureCheckingAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as missing:
        raise Http404 from missing
    except requests.RequestException:
        # The provider's discovery document, keys or token endpoint did not answer.
        message = _(
            "Inloggningstjänsten svarar inte just nu. Försök igen om en stund, eller logga in "
            "med ett lokalt konto."
        )
        return render(request, "identity/login_error.html", {"message": message}, status=503)


@login_not_required
def login(request, provider_id):
    return run(OAuth2LoginView, request, provider_id)


@login_not_required
def callback(request, provider_id):
    return run(OAuth2CallbackView, request, provider_id)
