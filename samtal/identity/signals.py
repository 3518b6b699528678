"""At every sign-in through an identity provider: a membership of the provider's
organisation, the roles its groups map to, and that organisation as the one worked in."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from .login import after_sso_login


@receiver(user_logged_in, dispatch_uid="samtal_identity_sso_login")
def on_login(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is not None:
        after_sso_login(request, user, sociallogin)
