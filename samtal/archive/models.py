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
