from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "samtal.archive"
    verbose_name = "Arkiv"

    def ready(self):
        from samtal.core.hooks import meeting_finished

        from . import signals

        meeting_finished.connect(signals.archive_finished_meeting, dispatch_uid="archive-pdf")
