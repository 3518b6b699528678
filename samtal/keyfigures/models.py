"""A meeting's key figures from Kolada, their stored values and the units' favourites.

The values are stored with the meeting: they are fetched when a key figure is chosen and
refreshed in the background until the meeting starts; from then on they are what the room saw
and stay as they are (the archive and the PDF show them).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samtal.meetings.models import Meeting, Unit

from .kolada import RIKET


class Comparison(models.TextChoices):
    RIKET = "riket", _("Riket")
    GROUP = "grupp", _("En kommungrupp")
    MUNICIPALITIES = "kommuner", _("Valda kommuner")


class Gender(models.TextChoices):
    TOTAL = "T", _("Totalt")
    WOMEN = "K", _("Kvinnor")
    MEN = "M", _("Män")


class ChoiceFields(models.Model):
    """What a facilitator chooses: the key figure, where it is measured, what it is compared
    with. Shared by a meeting's key figure and a unit's favourite."""

    kpi_id = models.CharField(_("nyckeltal (id i Kolada)"), max_length=20)
    title = models.CharField(_("titel"), max_length=400)
    description = models.TextField(_("beskrivning"), blank=True)
    is_divided_by_gender = models.BooleanField(_("uppdelat på kön"), default=False)
    ou_id = models.CharField(_("organisatorisk enhet (id i Kolada)"), max_length=20, blank=True)
    ou_title = models.CharField(_("organisatorisk enhet"), max_length=300, blank=True)
    comparison = models.CharField(
        _("jämförelse"), max_length=10, choices=Comparison.choices, default=Comparison.RIKET
    )
    # Riket: ["0000"]; a group: its member municipalities; chosen municipalities: their ids.
    comparison_ids = models.JSONField(_("jämförelsens kommunkoder"), default=list, blank=True)
    comparison_titles = models.JSONField(_("jämförelsens namn"), default=list, blank=True)
    comparison_group_id = models.CharField(_("kommungrupp (id)"), max_length=20, blank=True)
    comparison_group_title = models.CharField(_("kommungrupp"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def comparison_label(self):
        if self.comparison == Comparison.RIKET:
            return str(Comparison.RIKET.label)
        if self.comparison == Comparison.GROUP:
            return self.comparison_group_title
        return ", ".join(self.comparison_titles)

    def choice_values(self):
        return {
            name: getattr(self, name)
            for name in (
                "kpi_id",
                "title",
                "description",
                "is_divided_by_gender",
                "ou_id",
                "ou_title",
                "comparison",
                "comparison_ids",
                "comparison_titles",
                "comparison_group_id",
                "comparison_group_title",
            )
        }


class KeyFigureQuerySet(models.QuerySet):
    def refreshable(self):
        """Key figures whose values may still change: their meeting has not started."""
        return self.filter(meeting__status=Meeting.Status.PLANNED)


class KeyFigure(ChoiceFields):
    """A key figure chosen as material (underlag) for one meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="key_figures", verbose_name=_("samtal")
    )
    position = models.PositiveSmallIntegerField(_("ordning"), default=0)
    # Where the figure is measured: the organisation's municipality, or ou_id if set.
    municipality_id = models.CharField(_("kommunkod"), max_length=4)
    area_title = models.CharField(_("område"), max_length=300)
    fetched_at = models.DateTimeField(_("hämtat från Kolada"), null=True, blank=True)
    is_example = models.BooleanField(
        _("exempelvärden"),
        default=False,
        help_text=_("Påhittade värden för demon, inte Koladas."),
    )
    last_error = models.TextField(_("senaste fel"), blank=True)
    last_error_at = models.DateTimeField(_("senaste fel, när"), null=True, blank=True)
    added_at = models.DateTimeField(_("tillagt"), auto_now_add=True)

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("nyckeltal i ett samtal")
        verbose_name_plural = _("nyckeltal i samtal")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kpi_id", "ou_id"],
                name="keyfigure_once_per_meeting",
                violation_error_message=_("Nyckeltalet finns redan i samtalets underlag."),
            ),
            models.CheckConstraint(condition=~Q(kpi_id=""), name="keyfigure_kpi_not_empty"),
        ]

    def __str__(self):
        return f"{self.kpi_id} {self.title}"

    @property
    def is_frozen(self):
        return self.meeting.status != Meeting.Status.PLANNED

    @property
    def comparison_area_ids(self):
        return [RIKET] if self.comparison == Comparison.RIKET else list(self.comparison_ids)


class KeyFigureValue(models.Model):
    """One stored value: a year, an area (the unit's or a comparison), a gender. None when
    Kolada has no value (missing or confidential) – never 0."""

    key_figure = models.ForeignKey(
        KeyFigure, on_delete=models.CASCADE, related_name="values", verbose_name=_("nyckeltal")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    area_id = models.CharField(_("område (id)"), max_length=20)
    is_comparison = models.BooleanField(_("jämförelse"), default=False)
    gender = models.CharField(_("kön"), max_length=1, choices=Gender.choices, default="T")
    value = models.FloatField(_("värde"), null=True, blank=True)

    class Meta:
        verbose_name = _("värde")
        verbose_name_plural = _("värden")
        ordering = ["key_figure", "year", "area_id", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["key_figure", "year", "area_id", "gender"], name="keyfigurevalue_unique"
            ),
        ]

    def __str__(self):
        return f"{self.key_figure.kpi_id} {self.area_id} {self.year} {self.gender}: {self.value}"


class Favourite(ChoiceFields):
    """A key figure a unit keeps: the next meeting of the unit starts with it."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        related_name="favourite_key_figures",
        verbose_name=_("enhet"),
    )
    added_at = models.DateTimeField(_("tillagd"), auto_now_add=True)

    class Meta:
        verbose_name = _("favoritnyckeltal")
        verbose_name_plural = _("favoritnyckeltal")
        ordering = ["unit", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kpi_id", "ou_id"], name="favourite_once_per_unit"
            ),
        ]

    def __str__(self):
        return f"{self.unit}: {self.kpi_id} {self.title}"
