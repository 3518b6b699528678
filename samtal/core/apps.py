from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "samtal.core"
    verbose_name = "Grund"

    def ready(self):
        from .collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="swedish-collation")
