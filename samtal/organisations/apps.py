from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "samtal.organisations"
    verbose_name = "Organisationer"
