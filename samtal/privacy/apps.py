from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "samtal.privacy"
    label = "privacy"
    verbose_name = "Dataskydd"
