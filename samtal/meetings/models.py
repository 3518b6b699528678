import datetime
import secrets

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtal.core import broadcast
from samtal.core.choices import MeetingStatus, Role
from samtal.organisations.models import Membership, Organisation


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
    # A unit is never deleted (its meetings and archive stay); an inactive one is not offered
    # for new meetings.
    is_active = models.BooleanField(_("aktiv"), default=True)
    # The unit's place among its organisation's units in Swedish alphabetical order, kept by
    # save() (rank_units()). The archive sorted by unit orders by it: PostgreSQL then reads
    # one unit's meetings after the other from an index instead of sorting the archive.
    sort_rank = models.PositiveIntegerField(_("plats i bokstavsordning"), default=0, editable=False)

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("enheter (nämnder, förvaltningar, bolag)")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unit_unique_name"),
        ]
        indexes = [models.Index(fields=["organisation", "sort_rank"], name="unit_sort_rank")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        rank_units(self.organisation_id)


def rank_units(organisation_id, units=None):
    """Number the organisation's units in Swedish alphabetical order (Unit.sort_rank).
    Call after creating or renaming units without save() (bulk_create, update())."""
    from samtal.core.collation import swedish

    units = Unit.objects if units is None else units
    ordered = units.filter(organisation_id=organisation_id).order_by(swedish("name"), "pk")
    changed = []
    for rank, unit in enumerate(ordered.only("pk", "sort_rank")):
        if unit.sort_rank != rank:
            unit.sort_rank = rank
            changed.append(unit)
    units.bulk_update(changed, ["sort_rank"])


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user):
        """Meetings the user takes part in or created."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(participations__person__user=user) | Q(created_by=user)).distinct()

    def in_organisation_of(self, user, organisation):
        """The meetings of the organisation the user works in, and those of organisations
        they are not a member of but were invited to (a guest sees their invitations
        wherever they work)."""
        theirs = Membership.objects.filter(user=user).values("organisation_id")
        return self.filter(Q(unit__organisation=organisation) | ~Q(unit__organisation__in=theirs))

    def with_role_of(self, user):
        """Annotate each meeting with the user's role in it (my_role), if any."""
        # Participation is reached through the relation (it lives in the layer above).
        participation = self.model._meta.get_field("participations").related_model
        role = participation.objects.filter(meeting=OuterRef("pk"), person__user=user)
        return self.annotate(my_role=Subquery(role.values("role")[:1]))

    def upcoming(self):
        return self.filter(status=Meeting.Status.PLANNED)

    def running(self):
        return self.filter(status=Meeting.Status.RUNNING)

    def finished(self):
        return self.filter(status=Meeting.Status.FINISHED)


# Letters and digits that cannot be mistaken for each other when read off a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _position in range(JOIN_CODE_LENGTH))


class Meeting(models.Model):
    """One resultatsamtal: a facilitated dialogue on one theme with one unit."""

    Status = MeetingStatus

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
        "conversation_templates.TemplateVersion",
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
    # The one-time token of the form that created the meeting: a second submit of the
    # same form finds the meeting instead of creating another.
    creation_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    # The short code on the projector's join panel (/delta/<code>/): a participant's phone
    # follows the meeting with it while it runs; it stops working when the meeting ends.
    join_code = models.CharField(
        _("kod för att följa samtalet"),
        max_length=JOIN_CODE_LENGTH,
        null=True,
        blank=True,
        unique=True,
        editable=False,
    )

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
        indexes = [
            models.Index(fields=["status", "-date"], name="meeting_status_date"),
            # The archive sorted by unit: each unit's finished meetings, newest first.
            models.Index(
                fields=["unit", "-date", "-id"],
                condition=Q(status="avslutad"),
                name="meeting_unit_finished",
            ),
        ]
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
    def is_today(self):
        return self.date == timezone.localdate()

    @property
    def is_locked(self):
        return self.status == self.Status.FINISHED

    @property
    def my_role_label(self):
        role = getattr(self, "my_role", None)
        return Role(role).label if role else ""

    def facilitator(self):
        return self.participations.filter(role=Role.FACILITATOR).select_related("person").first()

    def missing_for_start(self):
        """What the method requires before the meeting can start, in plain Swedish."""
        roles = list(self.participations.values_list("role", flat=True))
        missing = []
        if roles.count(Role.FACILITATOR) != 1:
            missing.append(_("Samtalet behöver en samtalsledare."))
        if roles.count(Role.NOTE_TAKER) < 1:
            missing.append(_("Samtalet behöver minst en antecknare."))
        return missing

    @property
    def is_planned(self):
        return self.status == self.Status.PLANNED

    @property
    def is_running(self):
        return self.status == self.Status.RUNNING

    @property
    def is_finished(self):
        return self.status == self.Status.FINISHED

    def start(self):
        """Start the meeting, if the method's rules allow it.

        Raises ValidationError with what is missing (exactly one samtalsledare and at least
        one antecknare), or when the meeting is not planned.
        """
        from django.core.exceptions import ValidationError

        with transaction.atomic():
            # Lock the row: the check and the start happen as one, so a concurrent change
            # of roles or a second start waits and then sees the started meeting.
            locked = Meeting.objects.select_for_update().only("status").get(pk=self.pk)
            if locked.status != self.Status.PLANNED:
                raise ValidationError(_("Samtalet har redan startat eller är avslutat."))
            missing = self.missing_for_start()
            if missing:
                raise ValidationError(missing)
            now = timezone.localtime()
            held = {}
            if now.date() != self.date:
                # Held on another day than planned: the A3, the archive and the reflection
                # request show the day it really took place.
                held = {
                    "date": now.date(),
                    "start_time": now.time().replace(second=0, microsecond=0),
                }
            Meeting.objects.filter(pk=self.pk).update(
                status=self.Status.RUNNING, started_at=now, version=F("version") + 1, **held
            )
            self.refresh_from_db(fields=["status", "started_at", "version", "date", "start_time"])
            self.ensure_join_code()
            broadcast.meeting_changed(self.pk, self.version)

    def ensure_join_code(self):
        """Give the meeting its join code if it has none (meetings started before codes)."""
        while not self.join_code:
            code = new_join_code()
            if not Meeting.objects.filter(join_code=code).exists():
                Meeting.objects.filter(pk=self.pk, join_code__isnull=True).update(join_code=code)
                self.refresh_from_db(fields=["join_code"])
        return self.join_code

    def bump_version(self):
        """Mark that something in the meeting changed (atomic, no lost increments)."""
        Meeting.objects.filter(pk=self.pk).update(version=F("version") + 1)
        self.refresh_from_db(fields=["version"])
        # Every device following the meeting hears of it once this transaction commits.
        broadcast.meeting_changed(self.pk, self.version)


def material_upload_to(instance, filename):
    # The stored name is never shown; the original name is kept in original_name.
    return f"underlag/{instance.meeting_id}/{filename}"


class Material(models.Model):
    """Underlag: a file or a link that participants read before the meeting."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="materials", verbose_name=_("samtal")
    )
    title = models.CharField(_("rubrik"), max_length=200)
    note = models.TextField(_("vad ska läsas"), blank=True)
    file = models.FileField(_("fil"), upload_to=material_upload_to, blank=True, max_length=300)
    original_name = models.CharField(_("filnamn"), max_length=255, blank=True)
    content_type = models.CharField(_("filtyp"), max_length=120, blank=True)
    size = models.PositiveBigIntegerField(_("storlek (byte)"), default=0)
    url = models.URLField(_("länk"), blank=True, max_length=1000)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tillagt av"),
    )
    created_at = models.DateTimeField(_("tillagt"), auto_now_add=True)

    class Meta:
        verbose_name = _("underlag")
        verbose_name_plural = _("underlag")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="material_file_xor_url",
                violation_error_message=_("Ange antingen en fil eller en länk."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_file(self):
        return bool(self.file)
