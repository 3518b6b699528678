"""manage.py verify_archived_pdfs: every archived PDF against its stored SHA-256."""

from django.core.management.base import BaseCommand, CommandError

from samtal.archive.models import ArchivedA3
from samtal.archive.pdfs import rerender


class Command(BaseCommand):
    help = (
        "Kontrollerar varje arkiverad PDF mot dess sparade kontrollsumma (SHA-256). En fil "
        "som saknas skapas på nytt från den låsta A3:an och flaggas; en fil vars "
        "kontrollsumma inte stämmer rapporteras (med --aterskapa skapas den också på nytt, "
        "och den skadade filen lämnas kvar för utredning). Avslutar med felkod om något "
        "inte stämmer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--aterskapa",
            action="store_true",
            help="Skapa också PDF:er vars kontrollsumma inte stämmer på nytt.",
        )
        parser.add_argument(
            "--torrkorning", action="store_true", help="Kontrollera bara, ändra inget."
        )

    def handle(self, *args, **options):
        checked = ok = 0
        unresolved = []
        for archived in ArchivedA3.objects.select_related("meeting__unit").order_by("pk"):
            checked += 1
            problem = archived.problem()
            if problem is None:
                ok += 1
                continue
            label = f"{archived.meeting} ({archived.file.name}): {problem}"
            missing = not archived.file.storage.exists(archived.file.name)
            if options["torrkorning"] or not (missing or options["aterskapa"]):
                self.stdout.write(self.style.WARNING(f"  {label}"))
                unresolved.append(label)
                continue
            rerender(archived, problem)
            archived.refresh_from_db()
            if archived.problem() is None:
                self.stdout.write(f"  {label} – skapad på nytt från den låsta A3:an")
            else:
                self.stdout.write(self.style.ERROR(f"  {label} – kunde inte sparas på nytt"))
                unresolved.append(label)
        self.stdout.write(
            f"{checked} arkiverade PDF:er kontrollerade: {ok} stämmer, "
            f"{checked - ok - len(unresolved)} skapade på nytt, {len(unresolved)} kvar att åtgärda."
        )
        if unresolved:
            raise CommandError(f"{len(unresolved)} arkiverade PDF:er stämmer inte.")
