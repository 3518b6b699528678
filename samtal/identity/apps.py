from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "samtal.identity"
    verbose_name = "Inloggning (SSO)"

    def ready(self):
        from . import signals  # noqa: F401  (connects the sign-in receiver)
