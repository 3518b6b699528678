from django.apps import AppConfig


class A3Config(AppConfig):
    name = "samtal.a3"
    verbose_name = "A3 och samtalsmallar"
