"""django-allauth adapters: accounts come only from an organisation's identity provider (no
sign-up form, no e-mail confirmation), an existing account is taken over only inside the
provider's organisation, and every failure is a Swedish page."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext as _

from .models import IdentityProvider

LOCAL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Local accounts are made by an organisation administrator, never by signing up.
        return False

    def login(self, request, user):
        # allauth would otherwise pick the first backend, django-axes', which cannot load users.
        if not hasattr(user, "backend"):
            user.backend = LOCAL_BACKEND
        super().login(request, user)

    def add_message(self, *args, **kwargs):
        # allauth's English "Successfully signed in as …"; Samtal's pages say who is signed in.
        return None


def provider_of(sociallogin):
    """The IdentityProvider the sign-in came through (SocialAccount.provider is its slug)."""
    return (
        IdentityProvider.objects.select_related("organisation", "app")
        .filter(slug=sociallogin.account.provider)
        .first()
    )


def refuse(request, message, status=403):
    raise ImmediateHttpResponse(
        render(request, "identity/login_error.html", {"message": message}, status=status)
    )


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        """Only apps of an active identity provider sign anyone in."""
        apps = super().list_apps(request, provider=provider, client_id=client_id)
        active = set(
            IdentityProvider.objects.active()
            .filter(app__in=[app.pk for app in apps if app.pk])
            .values_list("app_id", flat=True)
        )
        return [app for app in apps if app.pk in active]

    def is_open_for_signup(self, request, sociallogin):
        return True

    def pre_social_login(self, request, sociallogin):
        provider = provider_of(sociallogin)
        if provider is None or not provider.is_active:
            refuse(request, _("Den här inloggningstjänsten är inte längre aktiv i Samtal."))
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                refuse(request, _("Ditt konto i Samtal är avstängt. Kontakta administratören."))
            return
        email = (sociallogin.user.email or "").strip()
        if not email:
            return
        existing = list(get_user_model().objects.filter(email__iexact=email).order_by("pk"))
        if not existing:
            return
        for user in existing:
            if takes_over(user, provider):
                sociallogin.connect(request, user)
                return
        refuse(
            request,
            _(
                "Det finns redan ett konto i Samtal med e-postadressen %(email)s som inte hör "
                "till %(organisation)s. Be organisationens administratör om hjälp."
            )
            % {"email": email, "organisation": provider.organisation.name},
        )

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        extra_context = extra_context or {}
        if error == "cancelled":
            message = _("Inloggningen avbröts. Du är inte inloggad.")
        elif extra_context.get("saml_errors"):
            message = _(
                "Svaret från inloggningstjänsten kunde inte godkännas: det är inte korrekt "
                "signerat, har gått ut eller hör inte till Samtal. Du är inte inloggad."
            )
        else:
            message = _(
                "Inloggningen kunde inte slutföras: svaret från inloggningstjänsten stämmer "
                "inte med inloggningen som påbörjades här, eller dess signatur är fel. Du är "
                "inte inloggad."
            )
        refuse(request, message, status=400)


def takes_over(user, provider):
    """An existing account (an administrator added the colleague by e-mail) is signed in
    through the provider only if it belongs to the provider's organisation and nowhere else,
    so no identity provider can take over an account of another organisation."""
    if user.is_superuser or user.is_staff or not user.is_active:
        return False
    organisations = set(user.memberships.values_list("organisation_id", flat=True))
    return organisations == {provider.organisation_id}
