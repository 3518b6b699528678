from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = "samtal.core"
    verbose_name = "Grund"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .log_redaction import attach_to_server_loggers
        from .middleware import start_idle_clock

        attach_to_server_loggers()
        user_logged_in.connect(start_idle_clock, dispatch_uid="samtal.core.start_idle_clock")

        from .collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="swedish-collation")
