from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """Everything written in one finished meeting's A3, kept as one searchable text.

    `vector` is PostgreSQL's tsvector (Swedish configuration, GIN-indexed in the migration);
    on SQLite it stays empty and the search falls back to `title`/`body`.
    """

    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="search_document",
        verbose_name=_("samtal"),
    )
    title = models.TextField(_("tema"))
    body = models.TextField(_("text"), blank=True)
    vector = SearchVectorField(null=True, editable=False)
    updated_at = models.DateTimeField(_("uppdaterad"), auto_now=True)

    class Meta:
        verbose_name = _("sökdokument")
        verbose_name_plural = _("sökdokument")

    def __str__(self):
        return self.title


def archived_a3_path(instance, filename):
    return f"a3-arkiv/{instance.meeting.date:%Y}/{filename}"


class ArchivedA3(models.Model):
    """A finished meeting's A3 as PDF/A, rendered once and then served as stored bytes."""

    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="archived_a3",
        verbose_name=_("samtal"),
    )
    file = models.FileField(_("PDF"), upload_to=archived_a3_path, max_length=300)
    rendered_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    meeting_version = models.PositiveIntegerField(_("samtalets version"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # Set when the stored file was missing or damaged and the PDF was rendered again from
    # the locked A3 (samtal/archive/pdfs.py): flagged in the admin and the log.
    rerendered_at = models.DateTimeField(_("återskapad"), null=True, blank=True)
    rerender_reason = models.CharField(_("varför återskapad"), max_length=200, blank=True)

    class Meta:
        db_table = "a3_archiveda3"
        verbose_name = _("arkiverad A3")
        verbose_name_plural = _("arkiverade A3:or")

    def __str__(self):
        return self.file.name

    def read(self):
        with self.file.open("rb") as handle:
            return handle.read()

    def problem(self):
        """None if the stored file is there and matches its checksum, else why not."""
        import hashlib

        try:
            data = self.read()
        except FileNotFoundError:
            return _("filen saknas")
        except OSError as error:
            return _("filen går inte att läsa (%(error)s)") % {"error": error.__class__.__name__}
        if hashlib.sha256(data).hexdigest() != self.sha256:
            return _("kontrollsumman stämmer inte")
        return None
