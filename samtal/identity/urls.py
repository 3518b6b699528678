"""The addresses identity providers call, under /sso/ (see README, "Single sign-on"):

/sso/oidc/<kortnamn>/login/             start an OpenID Connect sign-in (POST)
/sso/oidc/<kortnamn>/login/callback/    the redirect URI registered at the provider
/sso/saml/<kortnamn>/login/             start a SAML sign-in (POST)
/sso/saml/<kortnamn>/acs/               Assertion Consumer Service (HTTP-POST)
/sso/saml/<kortnamn>/sls/               Single Logout Service (HTTP-Redirect)
/sso/saml/<kortnamn>/metadata/          the service provider's metadata
"""

from functools import wraps

from allauth.socialaccount.providers.saml import views as saml
from django.urls import path

from . import oidc, views


def with_host(view):
    """allauth's SAML code reads the Host header itself; a request without one (HTTP/1.0, a
    probe) gets the host Django worked out instead of a crash."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.META.setdefault("HTTP_HOST", request.get_host())
        return view(request, *args, **kwargs)

    return wrapper


SAML = "saml/<str:organization_slug>/"

urlpatterns = [
    path("oidc/<str:provider_id>/login/", oidc.login, name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", oidc.callback, name="openid_connect_callback"),
    # allauth's SAML views; the logout service with a Swedish refusal.
    path(f"{SAML}acs/", with_host(saml.acs), name="saml_acs"),
    path(f"{SAML}acs/finish/", with_host(saml.finish_acs), name="saml_finish_acs"),
    path(f"{SAML}sls/", with_host(views.saml_sls), name="saml_sls"),
    path(f"{SAML}metadata/", with_host(saml.metadata), name="saml_metadata"),
    path(f"{SAML}login/", with_host(saml.login), name="saml_login"),
    path("konto/", views.signup_refused, name="socialaccount_signup"),
]
