import datetime

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Tar bort inloggningsförsök vars spärrtid har gått ut och inloggningsloggar "
        "äldre än --dagar (standard 30)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dagar", dest="days", type=int, default=30)

    def handle(self, *args, days, **options):
        now = timezone.now()
        cooloff = datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
        attempts, _ = AccessAttempt.objects.filter(attempt_time__lte=now - cooloff).delete()
        logs, _ = AccessLog.objects.filter(
            attempt_time__lte=now - datetime.timedelta(days=days)
        ).delete()
        self.stdout.write(
            f"{attempts} utgångna inloggningsförsök och {logs} gamla loggrader borttagna."
        )
