"""manage.py purge_personal_data: delete personal data whose retention period is over."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from samtal.privacy.retention import purge


class Command(BaseCommand):
    help = (
        "Gallrar personuppgifter vars lagringstid har gått ut (RETENTION_DAYS): skickade "
        "e-postmeddelanden, förberedelser, lösta konflikter, inloggningsförsök, sessioner, "
        "enkätnycklar och -inbjudningar. Kör dagligen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--torrkorning", action="store_true", help="Visa vad som skulle gallras."
        )
        parser.add_argument("--datum", help="Kör som om det vore ÅÅÅÅ-MM-DD.")

    def handle(self, *args, **options):
        now = timezone.now()
        today = None
        if options["datum"]:
            today = datetime.date.fromisoformat(options["datum"])
            now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
        results = purge(today=today, now=now, dry_run=options["torrkorning"])
        verb = "Skulle gallras" if options["torrkorning"] else "Gallrat"
        for _key, label, count in results:
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"{verb}: {sum(c for *_, c in results)} rader."))
