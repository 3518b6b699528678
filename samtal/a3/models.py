from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

RESIDENT_PLACEHOLDER = "{invånare}"


def with_resident_term(text, organisation):
    """Put the organisation's resident term (e.g. "Sundsvallsbon") into a template text."""
    term = organisation.resident_term if organisation else "invånaren"
    return text.replace(RESIDENT_PLACEHOLDER, term)


class ConversationTemplate(models.Model):
    """A kind of A3, e.g. Sundsvall's strengths-based "Samtalsmall"."""

    name = models.CharField(_("namn"), max_length=200, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)

    class Meta:
        verbose_name = _("samtalsmall")
        verbose_name_plural = _("samtalsmallar")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def latest_active_version(self):
        return self.versions.filter(is_active=True).order_by("-number").first()


class TemplateVersionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class TemplateVersion(models.Model):
    """One frozen version of a template. Meetings keep the version they were planned with."""

    template = models.ForeignKey(
        ConversationTemplate,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("samtalsmall"),
    )
    number = models.PositiveIntegerField(_("versionsnummer"))
    is_active = models.BooleanField(_("aktiv"), default=True)
    title = models.CharField(_("rubrik på A3:an"), max_length=200, default="Samtalsmall")
    purpose = models.TextField(_("syfte (förifyllt i nya samtal)"), blank=True)
    preparation_notes = models.JSONField(
        _("underlag för samtal"), default=list, blank=True, help_text=_("En punkt per rad.")
    )
    rules = models.JSONField(_("regler för mötet"), default=list, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = TemplateVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mallversion")
        verbose_name_plural = _("mallversioner")
        ordering = ["template__name", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique"),
        ]

    def __str__(self):
        return f"{self.template.name}, version {self.number}"

    @cached_property
    def total_minutes(self):
        if hasattr(self, "_prefetched_objects_cache") and "steps" in self._prefetched_objects_cache:
            return sum(step.minutes for step in self.steps.all())
        return self.steps.aggregate(total=Sum("minutes"))["total"] or 0

    @property
    def is_in_use(self):
        return self.meetings.exists()


class Phase(models.TextChoices):
    START = "start", _("Start")
    PAST = "datid", _("Dåtid")
    PRESENT = "nutid", _("Nutid")
    FUTURE = "framtid", _("Framtid")


class Step(models.Model):
    """One timed part of a template version, and the kind of record it takes."""

    Phase = Phase

    class RecordKind(models.TextChoices):
        ATTENDANCE = "narvaro", _("Närvaro")
        CLAIMS = "pastaenden", _("Påståenden med ”därför att”")
        LIST = "lista", _("Lista")
        QUESTION_NOTES = "fragor", _("Anteckningar per fråga")
        WISHES = "onskningar", _("Önskningar")
        ACTIONS = "atgarder", _("Åtgärder")

    version = models.ForeignKey(
        TemplateVersion, on_delete=models.CASCADE, related_name="steps", verbose_name=_("version")
    )
    order = models.PositiveIntegerField(_("ordning"))
    key = models.CharField(_("nummer"), max_length=10, help_text=_("Till exempel 1, 2A, 2B."))
    title = models.CharField(_("rubrik"), max_length=200)
    phase = models.CharField(_("fas"), max_length=10, choices=Phase.choices)
    minutes = models.PositiveIntegerField(_("minuter"))
    prompt = models.TextField(
        _("instruktion"), help_text=_("{invånare} ersätts med kommunens invånarbegrepp.")
    )
    questions = models.JSONField(_("frågor"), default=list, blank=True)
    record_kind = models.CharField(
        _("vad som antecknas"), max_length=20, choices=RecordKind.choices
    )
    entry_label = models.CharField(_("rubrik för anteckning"), max_length=200, blank=True)
    reason_label = models.CharField(_("rubrik för motivering"), max_length=200, blank=True)
    is_round = models.BooleanField(_("laget runt"), default=False)
    asks_preparation = models.BooleanField(_("förbereds i förväg"), default=False)
    preparation_prompt = models.TextField(_("förberedelsefråga"), blank=True)
    max_agreed = models.PositiveSmallIntegerField(
        _("högst antal överenskomna"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("steg")
        verbose_name_plural = _("steg")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="step_unique_key"),
            models.UniqueConstraint(fields=["version", "order"], name="step_unique_order"),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="step_minutes_positive"),
            models.CheckConstraint(
                condition=Q(phase__in=["start", "datid", "nutid", "framtid"]),
                name="step_phase_valid",
            ),
        ]

    def __str__(self):
        return f"{self.key} {self.title}"

    def prompt_for(self, organisation):
        return with_resident_term(self.prompt, organisation)

    def preparation_prompt_for(self, organisation):
        return with_resident_term(self.preparation_prompt, organisation)


class Entry(models.Model):
    """One written item in the A3: a claim, a list item or a note under a question.

    Entries without a step are the meeting's "Övriga anteckningar".
    """

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("samtal"),
    )
    step = models.ForeignKey(
        Step,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("steg"),
    )
    question_index = models.PositiveSmallIntegerField(_("fråga"), null=True, blank=True)
    participation = models.ForeignKey(
        "participants.Participation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("vem"),
    )
    text = models.TextField(_("text"))
    reason = models.TextField(_("därför att"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    # Incremented on every save; an edit based on an older revision is a conflict.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("anteckning")
        verbose_name_plural = _("anteckningar")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["meeting", "step", "position"], name="entry_meeting_step")]

    def __str__(self):
        return self.text[:60]


class Wish(models.Model):
    """A wish from step 4A; at most the step's max_agreed of them are agreed, in order."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="wishes",
        verbose_name=_("samtal"),
    )
    step = models.ForeignKey(
        Step, on_delete=models.PROTECT, related_name="wishes", verbose_name=_("steg")
    )
    participation = models.ForeignKey(
        "participants.Participation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="wishes",
        verbose_name=_("vem"),
    )
    text = models.TextField(_("vi skulle vilja"))
    reason = models.TextField(_("därför att"), blank=True)
    agreed_rank = models.PositiveSmallIntegerField(
        _("överenskommen som nummer"), null=True, blank=True
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("önskning")
        verbose_name_plural = _("önskningar")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "step", "agreed_rank"],
                condition=Q(agreed_rank__isnull=False),
                name="wish_unique_rank",
            ),
            models.CheckConstraint(
                condition=Q(agreed_rank__isnull=True) | Q(agreed_rank__gte=1),
                name="wish_rank_positive",
            ),
        ]

    def __str__(self):
        return self.text[:60]


class ParkingLotItem(models.Model):
    """A question set aside for later (parkeringsficka)."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="parking_lot",
        verbose_name=_("samtal"),
    )
    text = models.TextField(_("fråga"))
    raised_by = models.ForeignKey(
        "participants.Participation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("väckt av"),
    )
    resolved = models.BooleanField(_("hanterad"), default=False)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("parkerad fråga")
        verbose_name_plural = _("parkeringsficka")
        ordering = ["position", "id"]

    def __str__(self):
        return self.text[:60]


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

    class Meta:
        verbose_name = _("arkiverad A3")
        verbose_name_plural = _("arkiverade A3:or")

    def __str__(self):
        return self.file.name

    def read(self):
        with self.file.open("rb") as handle:
            return handle.read()


from .live_models import A3Change, EditConflict, LiveSession, StepTimer  # noqa: E402, F401
