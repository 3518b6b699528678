import datetime

from django.core.management.base import BaseCommand, CommandError

from samtal.actions.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Skickar påminnelser till ansvariga för åtgärder: en vecka före sista dag och när "
        "åtgärden är försenad. Körs dagligen (cron); samma påminnelse skickas aldrig två gånger."
    )

    def add_arguments(self, parser):
        parser.add_argument("--datum", help="Kör som om det vore detta datum (ÅÅÅÅ-MM-DD).")
        parser.add_argument(
            "--torrkorning", action="store_true", help="Visa vad som skulle skickas."
        )

    def handle(self, *args, datum=None, torrkorning=False, **options):
        today = None
        if datum:
            try:
                today = datetime.date.fromisoformat(datum)
            except ValueError:
                raise CommandError("--datum ska vara ÅÅÅÅ-MM-DD.") from None
        failed = []
        sent = send_reminders(today=today, dry_run=torrkorning, failed=failed)
        verb = "Skulle skicka" if torrkorning else "Skickade"
        for item in sent:
            self.stdout.write(f"{verb} {item.kind}: {item.action} → {item.person.email}")
        self.stdout.write(f"{verb} {len(sent)} påminnelser.")
        for item in failed:
            self.stderr.write(f"Misslyckades {item.kind}: {item.action} → {item.person.email}")
        if failed:
            raise CommandError(
                f"{len(failed)} påminnelser kunde inte skickas; de försöks igen vid nästa körning."
            )
