from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "samtal.surveys"
    verbose_name = "Självskattningar"
