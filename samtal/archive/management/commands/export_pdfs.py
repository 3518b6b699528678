"""Write A3 PDFs to a directory for batch archiving.

    python manage.py export_pdfs DIR                # every finished meeting
    python manage.py export_pdfs DIR --meeting 12   # one meeting (any status)

Finished meetings get their stored PDF/A (rendered and stored first if missing).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samtal.archive.pdfs import pdf_filename, pdf_for_download
from samtal.meetings.models import Meeting


def export_filename(meeting):
    """The PDF's file name, with the meeting's id when another meeting would get the same
    name (same unit, theme and date), so that no meeting is skipped as "already there"."""
    name = pdf_filename(meeting)
    namesakes = Meeting.objects.filter(unit_id=meeting.unit_id, date=meeting.date).exclude(
        pk=meeting.pk
    )
    if any(pdf_filename(other) == name for other in namesakes.select_related("unit")):
        name = f"{name.removesuffix('.pdf')}-{meeting.pk}.pdf"
    return name


class Command(BaseCommand):
    help = "Skriver A3:ornas PDF till en katalog: ett samtal, eller alla avslutade samtal."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Katalog att skriva PDF-filerna till.")
        parser.add_argument("--meeting", type=int, help="Bara samtalet med detta id.")
        parser.add_argument(
            "--overwrite", action="store_true", help="Skriv över filer som redan finns."
        )

    def handle(self, *args, directory, meeting=None, overwrite=False, **options):
        target = Path(directory)
        target.mkdir(parents=True, exist_ok=True)
        meetings = Meeting.objects.select_related(
            "unit__organisation", "template_version__template"
        ).order_by("date", "id")
        if meeting is not None:
            meetings = meetings.filter(pk=meeting)
            if not meetings.exists():
                raise CommandError(f"Det finns inget samtal med id {meeting}.")
        else:
            meetings = meetings.finished()
        written = skipped = 0
        for item in meetings.iterator(chunk_size=50):
            path = target / export_filename(item)
            if path.exists() and not overwrite:
                skipped += 1
                self.stdout.write(f"Finns redan, hoppar över: {path}")
                continue
            path.write_bytes(pdf_for_download(item))
            written += 1
            self.stdout.write(f"Skrev {path}")
        self.stdout.write(
            self.style.SUCCESS(f"Klart: {written} PDF skrivna, {skipped} fanns redan.")
        )
