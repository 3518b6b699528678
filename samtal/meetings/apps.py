from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "samtal.meetings"
    verbose_name = "Samtal"
