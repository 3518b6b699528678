from django.core.management.base import BaseCommand

from samtal.archive.search import index_all


class Command(BaseCommand):
    help = "Bygger om sökindexet för alla avslutade samtal."

    def handle(self, *args, **options):
        count = index_all()
        self.stdout.write(f"Indexerade {count} avslutade samtal.")
