"""manage.py backup [FILE]: the database and the media files in one checked archive."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from samtal.core.backup import create_backup


class Command(BaseCommand):
    help = (
        "Skriver en säkerhetskopia: databasen (dumpdata, JSON), alla filer i lagringen "
        "(underlag, arkiverade PDF:er) och ett manifest med kontrollsummor, i en fil."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            help="Arkivfilen (standard: var/backup/samtal-ÅÅÅÅMMDD-TTMMSS.tar.gz).",
        )

    def handle(self, *args, **options):
        path = options["file"]
        if not path:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            path = Path(settings.BASE_DIR) / "var" / "backup" / f"samtal-{stamp}.tar.gz"
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        manifest = create_backup(path)
        rows = sum(manifest["models"].values())
        files = manifest["files"]
        self.stdout.write(
            self.style.SUCCESS(f"Säkerhetskopian är skriven: {path}")
            + f"\n  {rows} rader i {len(manifest['models'])} modeller, "
            f"{len(files)} filer ({sum(f['bytes'] for f in files)} byte), "
            f"arkivet {manifest['archive_bytes']} byte, {manifest['seconds']} s."
        )
        for entry in manifest["missing_files"]:
            self.stderr.write(
                f"  Saknas i lagringen: {entry['name']} ({entry['model']} {entry['pk']})"
            )
