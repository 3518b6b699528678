from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "samtal.evaluations"
    verbose_name = "Utvärdering av samtal"
