from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "samtal.actions"
    verbose_name = "Åtgärder"
