from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "samtal.core"
    verbose_name = "Grund"
