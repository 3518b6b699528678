"""The addresses identity providers call, under /sso/ (see README, "Single sign-on"):

/sso/oidc/<kortnamn>/login/             start an OpenID Connect sign-in (POST)
/sso/oidc/<kortnamn>/login/callback/    the redirect URI registered at the provider
/sso/saml/<kortnamn>/login/             start a SAML sign-in (POST)
/sso/saml/<kortnamn>/acs/               Assertion Consumer Service (HTTP-POST)
/sso/saml/<kortnamn>/sls/               Single Logout Service (HTTP-Redirect)
/sso/saml/<kortnamn>/metadata/          the service provider's metadata
"""

from allauth.socialaccount.providers.saml import urls as saml_urls
from django.urls import include, path

from . import oidc, views

urlpatterns = [
    path("oidc/<str:provider_id>/login/", oidc.login, name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", oidc.callback, name="openid_connect_callback"),
    # allauth's SAML views; the logout service first, with a Swedish refusal.
    path("saml/<str:organization_slug>/sls/", views.saml_sls, name="saml_sls"),
    path("", include(saml_urls)),
    path("konto/", views.signup_refused, name="socialaccount_signup"),
]
