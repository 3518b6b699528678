"""manage.py restore FILE: a backup into an empty installation, every checksum verified."""

from django.core.management.base import BaseCommand, CommandError

from samtal.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Återställer en säkerhetskopia från `backup` till en tom installation (efter "
        "`migrate`). Kontrollerar alla kontrollsummor och antalet rader per modell."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        try:
            manifest, seconds = restore_backup(options["file"])
        except (BackupError, OSError) as error:
            raise CommandError(f"Återställningen avbröts: {error}") from error
        rows = sum(manifest["models"].values())
        self.stdout.write(
            self.style.SUCCESS("Säkerhetskopian är återställd")
            + f" (tagen {manifest['created_at']}): {rows} rader, "
            f"{len(manifest['files'])} filer, alla kontrollsummor stämmer, {seconds} s."
        )
        if manifest["missing_files"]:
            self.stdout.write(
                f"  {len(manifest['missing_files'])} filer saknades redan när kopian togs; "
                "kör `verify_archived_pdfs` för att skapa arkiverade PDF:er på nytt."
            )
