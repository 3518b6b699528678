from django.apps import AppConfig


class KeyFiguresConfig(AppConfig):
    name = "samtal.keyfigures"
    label = "keyfigures"
    verbose_name = "Nyckeltal från Kolada"

    def ready(self):
        from . import signals  # noqa: F401
