from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "samtal.administration"
    verbose_name = "Administration"
