from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "samtal.archive"
    verbose_name = "Arkiv"

    def ready(self):
        from samtal.core.hooks import finishing_consequences, meeting_finished

        from . import signals

        meeting_finished.connect(signals.archive_finished_meeting, dispatch_uid="archive-pdf")
        finishing_consequences.connect(signals.what_finishing_archives, dispatch_uid="archive-say")
