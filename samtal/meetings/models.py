import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """The municipality. Its resident term replaces {invånare} in template texts."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    resident_term = models.CharField(
        _("invånarbegrepp"),
        max_length=100,
        default="invånaren",
        help_text=_("Till exempel ”Sundsvallsbon”, ”Malmöbon” eller ”invånaren”."),
    )

    class Meta:
        verbose_name = _("kommun")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A nämnd, förvaltning or bolag that takes part in results dialogues."""

    class Kind(models.TextChoices):
        BOARD = "namnd", _("Nämnd")
        ADMINISTRATION = "forvaltning", _("Förvaltning")
        COMPANY = "bolag", _("Bolag")
        OTHER = "annan", _("Annan")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="units", verbose_name=_("kommun")
    )
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices, default=Kind.BOARD)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter (nämnder, förvaltningar, bolag)")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name"),
        ]

    def __str__(self):
        return self.name


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user):
        """Meetings the user takes part in or created."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(participations__person__user=user) | Q(created_by=user)
        ).distinct()

    def with_role_of(self, user):
        """Annotate each meeting with the user's role in it (my_role), if any."""
        from samtal.participants.models import Participation

        role = Participation.objects.filter(meeting=OuterRef("pk"), person__user=user).values(
            "role"
        )[:1]
        return self.annotate(my_role=Subquery(role))

    def upcoming(self):
        return self.filter(status=Meeting.Status.PLANNED)

    def running(self):
        return self.filter(status=Meeting.Status.RUNNING)

    def finished(self):
        return self.filter(status=Meeting.Status.FINISHED)


class Meeting(models.Model):
    """One resultatsamtal: a facilitated dialogue on one theme with one unit."""

    class Status(models.TextChoices):
        PLANNED = "planerad", _("Planerad")
        RUNNING = "pagar", _("Pågår")
        FINISHED = "avslutad", _("Avslutad")

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("enhet")
    )
    theme = models.CharField(_("tema"), max_length=200)
    date = models.DateField(_("datum"))
    start_time = models.TimeField(_("starttid"))
    location = models.CharField(_("plats"), max_length=200, blank=True)
    video_link = models.URLField(_("videolänk"), blank=True)
    purpose = models.TextField(_("syfte"), blank=True)
    template_version = models.ForeignKey(
        "a3.TemplateVersion",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("samtalsmall"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skapad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    started_at = models.DateTimeField(_("startade"), null=True, blank=True)
    finished_at = models.DateTimeField(_("avslutades"), null=True, blank=True)
    # Every change to the meeting or its A3 increments this, so devices can ask
    # cheaply whether anything moved.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("resultatsamtal")
        verbose_name_plural = _("resultatsamtal")
        ordering = ["-date", "-start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["planerad", "pagar", "avslutad"]),
                name="meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(theme=""),
                name="meeting_theme_not_empty",
            ),
        ]
        indexes = [models.Index(fields=["status", "-date"], name="meeting_status_date")]
        permissions = [
            ("review_archive", _("Kan läsa alla avslutade samtal (kommunledning)")),
        ]

    def __str__(self):
        return f"{self.theme} – {self.unit} ({self.date:%Y-%m-%d})"

    @property
    def organisation(self):
        return self.unit.organisation

    @property
    def starts_at(self):
        return timezone.make_aware(datetime.datetime.combine(self.date, self.start_time))

    @property
    def planned_minutes(self):
        return self.template_version.total_minutes

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.planned_minutes)

    @property
    def is_locked(self):
        return self.status == self.Status.FINISHED

    @property
    def my_role_label(self):
        from samtal.participants.models import Participation

        role = getattr(self, "my_role", None)
        return Participation.Role(role).label if role else ""

    def facilitator(self):
        return self.participations.filter(role="samtalsledare").select_related("person").first()

    def missing_for_start(self):
        """What the method requires before the meeting can start, in plain Swedish."""
        roles = list(self.participations.values_list("role", flat=True))
        missing = []
        if roles.count("samtalsledare") != 1:
            missing.append(_("Samtalet behöver en samtalsledare."))
        if roles.count("antecknare") < 1:
            missing.append(_("Samtalet behöver minst en antecknare."))
        return missing

    def bump_version(self):
        """Mark that something in the meeting changed (atomic, no lost increments)."""
        Meeting.objects.filter(pk=self.pk).update(version=F("version") + 1)
        self.refresh_from_db(fields=["version"])
