from django.db import models
from django.db.models import Q, Sum
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

RESIDENT_PLACEHOLDER = "{invånare}"


def with_resident_term(text, organisation):
    """Put the organisation's resident term (e.g. "Sundsvallsbon") into a template text."""
    term = organisation.resident_term if organisation else "invånaren"
    return text.replace(RESIDENT_PLACEHOLDER, term)


class ConversationTemplateQuerySet(models.QuerySet):
    def available_to(self, organisation):
        """The installation's shared templates and the organisation's own."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation=organisation))


class ConversationTemplate(models.Model):
    """A kind of A3, e.g. Sundsvall's strengths-based "Samtalsmall".

    A template without an organisation is the installation's, shared by every organisation
    on it (the seeded ones): installation staff edit it, an organisation copies it to make
    it its own. A template with an organisation is seen and used only there.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="templates",
        verbose_name=_("organisation"),
        help_text=_("Tom: installationens gemensamma mall, som alla organisationer kan använda."),
    )
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)

    objects = ConversationTemplateQuerySet.as_manager()

    class Meta:
        db_table = "a3_conversationtemplate"
        verbose_name = _("samtalsmall")
        verbose_name_plural = _("samtalsmallar")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="template_unique_name_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(organisation__isnull=True),
                name="template_unique_shared_name",
            ),
        ]

    def __str__(self):
        return self.name

    def latest_active_version(self):
        return self.versions.filter(is_active=True).order_by("-number").first()


class TemplateVersionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def available_to(self, organisation):
        """Versions of the installation's shared templates and of the organisation's own."""
        return self.filter(
            Q(template__organisation__isnull=True) | Q(template__organisation=organisation)
        )

    def plannable(self):
        """Published, active versions with at least one step: what "Nytt samtal" offers.

        A version without steps would give an empty A3, so it is never offered (and never
        pre-selected), whatever its flags say.
        """
        has_steps = models.Exists(Step.objects.filter(version=models.OuterRef("pk")))
        return self.filter(has_steps, is_active=True, is_draft=False)

    def preselected(self):
        """The version "Nytt samtal" starts with: the default template's newest plannable
        version (the organisation's own copy before the shared one), else the newest
        plannable one (never an empty one)."""
        from .default_template import NAME

        plannable = self.plannable()
        own_first = models.F("template__organisation").asc(nulls_last=True)
        default = plannable.filter(template__name=NAME).order_by(own_first, "-number").first()
        return default or plannable.order_by("-created_at", "-number").first()


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
    outline = models.JSONField(
        _("upplägg"),
        default=list,
        blank=True,
        help_text=_("Mötets upplägg i punkter (i ”Underlag för samtal”). En punkt per rad."),
    )
    rules = models.JSONField(_("regler för mötet"), default=list, blank=True)
    is_draft = models.BooleanField(
        _("utkast"),
        default=False,
        help_text=_("Ett utkast syns inte i ”Nytt samtal” förrän det publiceras."),
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("kopia av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = TemplateVersionQuerySet.as_manager()

    class Meta:
        db_table = "a3_templateversion"
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

    def outline_for(self, organisation):
        return [with_resident_term(item, organisation) for item in self.outline]


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
    reviews_earlier_actions = models.BooleanField(
        _("går igenom tidigare åtgärder"),
        default=False,
        help_text=_("Här visas de öppna åtgärderna från enhetens tidigare samtal."),
    )

    class Meta:
        db_table = "a3_step"
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


def version_problems(version, steps):
    """Why `version` with `steps` would give an empty or broken A3 (Swedish sentences).

    Used before publishing, on a draft's saved steps or on a file being imported.
    """
    problems = []
    if not steps:
        problems.append(_("Mallen har inga steg. Lägg till minst ett steg innan du publicerar."))
    if not (version.title or "").strip():
        problems.append(_("A3:an behöver en rubrik."))
    keys = [step.key.strip() for step in steps]
    for step in steps:
        name = step.key or _("utan nummer")
        if not step.key.strip():
            problems.append(_("Ett steg saknar nummer."))
        if not step.title.strip():
            problems.append(_("Steg %(key)s saknar rubrik.") % {"key": name})
        if not step.prompt.strip():
            problems.append(_("Steg %(key)s saknar instruktion.") % {"key": name})
        if not step.minutes or step.minutes < 1:
            problems.append(_("Steg %(key)s behöver minst en minut.") % {"key": name})
        if step.phase not in Phase.values:
            problems.append(_("Steg %(key)s har ingen giltig fas.") % {"key": name})
        if step.record_kind not in Step.RecordKind.values:
            problems.append(_("Steg %(key)s har inget giltigt sätt att anteckna.") % {"key": name})
        if step.record_kind == Step.RecordKind.QUESTION_NOTES and not step.questions:
            problems.append(
                _("Steg %(key)s antecknar per fråga men har inga frågor.") % {"key": name}
            )
        if step.asks_preparation and not step.preparation_prompt.strip():
            problems.append(
                _("Steg %(key)s förbereds i förväg men saknar förberedelsefråga.") % {"key": name}
            )
    duplicates = sorted({key for key in keys if key and keys.count(key) > 1})
    for key in duplicates:
        problems.append(_("Stegnumret %(key)s finns flera gånger.") % {"key": key})
    return problems
