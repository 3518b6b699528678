"""The daily jobs: run once (systemd timer) or every day at PERIODIC_AT (--loop, containers).

Each job is a management command from settings.PERIODIC_COMMANDS; one that fails is logged
and the others still run; the exit status says whether all succeeded.
"""

import datetime
import logging
import time
import zoneinfo

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

log = logging.getLogger("samtal.periodic")


def next_run(now, at):
    """The next moment at `at` ("HH:MM", local time) strictly after `now` (aware)."""
    hour, minute = (int(part) for part in at.split(":"))
    candidate = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= now:
        candidate = (candidate + datetime.timedelta(days=1)).replace(hour=hour, minute=minute)
    return candidate


def run_all(commands, stdout):
    failed = []
    for command in commands:
        name, *args = command
        try:
            call_command(name, *args, stdout=stdout)
        except Exception:
            log.exception("Periodic job %s failed", " ".join(command))
            failed.append(name)
    return failed


class Command(BaseCommand):
    help = (
        "Kör de dagliga jobben (påminnelser, utvärderingar, utgångna sessioner, gamla "
        "inloggningsförsök). Med --loop: varje dag kl. PERIODIC_AT."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")

    def handle(self, *args, loop, **options):
        commands = settings.PERIODIC_COMMANDS
        if not loop:
            failed = run_all(commands, self.stdout)
            if failed:
                raise CommandError(f"Misslyckades: {', '.join(failed)}")
            return
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        while True:
            now = datetime.datetime.now(zone)
            wake = next_run(now, settings.PERIODIC_AT)
            log.info("Next daily jobs at %s", wake.isoformat(timespec="minutes"))
            time.sleep(max(0.0, (wake - now).total_seconds()))
            run_all(commands, self.stdout)
