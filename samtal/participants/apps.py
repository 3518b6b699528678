from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "samtal.participants"
    verbose_name = "Medverkande"
