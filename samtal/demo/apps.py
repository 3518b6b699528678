from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "samtal.demo"
    verbose_name = "Demodata"
