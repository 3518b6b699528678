"""Send again the emails a killed worker left half-sent ("Skickas" for a long time).

Runs before the worker starts (deploy/systemd/samtal-worker.service) and daily (periodic).
"""

from django.core.management.base import BaseCommand

from samtal.participants import deliveries


class Command(BaseCommand):
    help = 'Skicka om e-post som ett avbrutet bakgrundsjobb lämnade som "Skickas".'

    def handle(self, *args, **options):
        count = deliveries.recover()
        if count:
            self.stdout.write(f"{count} avbrutna utskick köades igen.")
