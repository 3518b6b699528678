from django.apps import AppConfig


class EvaluationsConfig(AppConfig):
    name = "samtal.evaluations"
    verbose_name = "Utvärdering av samtal"

    def ready(self):
        from samtal.core.hooks import (
            a3_print_extras,
            finishing_consequences,
            join_polls,
            meeting_finished,
        )

        from . import hooks

        meeting_finished.connect(hooks.ask_for_reflections, dispatch_uid="reflection-requests")
        a3_print_extras.connect(hooks.perspectives_for_print, dispatch_uid="perspectives-print")
        finishing_consequences.connect(hooks.what_finishing_sends, dispatch_uid="reflection-say")
        join_polls.connect(hooks.open_polls, dispatch_uid="perspectives-join")
