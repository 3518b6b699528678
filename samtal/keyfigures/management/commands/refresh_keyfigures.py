"""Enqueue a fresh fetch of the planned meetings' key figures (run from cron, e.g. hourly).

The jobs run in `manage.py db_worker`. Key figures fetched less than KOLADA_REFRESH_HOURS ago
are left alone unless --alla; meetings that have started are never touched (their values are
what the room saw). --nu fetches right here instead of through the job queue.
"""

from django.core.management.base import BaseCommand

from samtal.keyfigures.fetching import Outcome, fetch_key_figure
from samtal.keyfigures.models import KeyFigure
from samtal.keyfigures.tasks import enqueue_refresh


class Command(BaseCommand):
    help = "Hämtar nya värden från Kolada för nyckeltalen i planerade samtal."

    def add_arguments(self, parser):
        parser.add_argument("--alla", action="store_true", help="även nyligen hämtade")
        parser.add_argument("--nu", action="store_true", help="hämta direkt, utan jobbkön")

    def handle(self, *args, **options):
        if not options["nu"]:
            count = enqueue_refresh(only_stale=not options["alla"])
            self.stdout.write(f"{count} nyckeltal köade för hämtning.")
            return
        outcomes = []
        for key_figure in KeyFigure.objects.refreshable().select_related("meeting"):
            outcome = fetch_key_figure(key_figure.pk)
            outcomes.append(outcome)
            key_figure.refresh_from_db()
            note = f": {key_figure.last_error}" if outcome == Outcome.FAILED else ""
            self.stdout.write(f"{key_figure.meeting} – {key_figure.kpi_id}: {outcome}{note}")
        self.stdout.write(f"{outcomes.count(Outcome.FETCHED)} av {len(outcomes)} hämtade.")
