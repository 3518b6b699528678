from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ArchiveConfig(AppConfig):
    name = "samtal.archive"
    verbose_name = "Arkiv"

    def ready(self):
        from . import signals  # noqa: F401
        from .collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="swedish-collation")
