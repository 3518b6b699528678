"""Self-assessment surveys (självskattning): statements answered on a 1–7 scale, anonymously,
in rounds (before, after, follow-up) reached through a shareable link.

Answers keep the statements they answered: a statement that has answers is never changed
(Statement.save refuses); to change the wording, make a new version of the instrument
(Instrument.new_version) and use it for the next round. Results compare rounds statement by
statement through Statement.number, across versions of the same instrument (same key).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtal.core.tokens import random_key

SCALE = range(1, 8)
MIN_GROUP_SIZE = 5


class InstrumentQuerySet(models.QuerySet):
    def latest_versions(self):
        """The newest version of each instrument (one per key)."""
        newest = (
            Instrument.objects.filter(key=OuterRef("key")).order_by("-version").values("version")
        )
        return self.filter(version=Subquery(newest[:1]))


class Instrument(models.Model):
    """A list of statements. Versions of the same instrument share a key."""

    key = models.SlugField(_("nyckel"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("namn"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    prompt = models.CharField(
        _("inledning till påståendena"),
        max_length=300,
        blank=True,
        help_text=_("Till exempel ”Upplever du i din roll att:”."),
    )
    scale_max_label = models.CharField(_("betydelse av 7"), max_length=60, default="Instämmer helt")
    scale_min_label = models.CharField(
        _("betydelse av 1"), max_length=60, default="Instämmer inte alls"
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = InstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("självskattningsenkät")
        verbose_name_plural = _("självskattningsenkäter")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="instrument_unique_version"),
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    FROZEN_FIELDS = ("key", "version", "prompt", "scale_max_label", "scale_min_label")

    def has_answers(self):
        return self.pk is not None and Answer.objects.filter(statement__instrument=self).exists()

    def clean(self):
        """What respondents read next to the statements is frozen once answered, too."""
        if self.pk is None:
            return
        stored = Instrument.objects.filter(pk=self.pk).values(*self.FROZEN_FIELDS).first()
        changed = stored and any(stored[f] != getattr(self, f) for f in self.FROZEN_FIELDS)
        if changed and self.has_answers():
            raise ValidationError(
                _(
                    "Enkäten har redan svar, så inledningen och skalans betydelse kan inte "
                    "ändras. Skapa en ny version av enkäten."
                )
            )

    @transaction.atomic
    def new_version(self):
        """A copy with the next version number, whose statements can be edited freely."""
        latest = Instrument.objects.filter(key=self.key).order_by("-version").first()
        statements = list(self.statements.all())
        copy = Instrument.objects.create(
            key=self.key,
            version=latest.version + 1,
            name=self.name,
            description=self.description,
            prompt=self.prompt,
            scale_max_label=self.scale_max_label,
            scale_min_label=self.scale_min_label,
        )
        Statement.objects.bulk_create(
            Statement(instrument=copy, number=s.number, group=s.group, text=s.text, order=s.order)
            for s in statements
        )
        return copy


class Statement(models.Model):
    """One statement of an instrument. Frozen once answered."""

    instrument = models.ForeignKey(
        Instrument,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("enkät"),
    )
    number = models.PositiveIntegerField(
        _("nummer"), help_text=_("Samma nummer i alla versioner jämförs med varandra.")
    )
    group = models.CharField(_("grupp"), max_length=120, blank=True)
    text = models.CharField(_("påstående"), max_length=400)
    order = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("påstående")
        verbose_name_plural = _("påståenden")
        ordering = ["order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "number"], name="statement_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text}"

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    FROZEN_MESSAGE = _(
        "Påståendet har redan besvarats och kan inte ändras, så att svaren behåller det "
        "påstående de gavs till. Skapa en ny version av enkäten och ändra där."
    )

    def is_answered(self):
        return self.pk is not None and self.answers.exists()

    def clean(self):
        if self.pk is None:
            if self.instrument_id and self.instrument.has_answers():
                raise ValidationError(
                    _(
                        "Enkäten har redan svar och kan inte få nya påståenden. Skapa en ny "
                        "version av enkäten."
                    )
                )
            return
        stored = Statement.objects.filter(pk=self.pk).values("number", "group", "text").first()
        changed = stored and any(
            stored[name] != getattr(self, name) for name in ("number", "group", "text")
        )
        if changed and self.is_answered():
            raise ValidationError(self.FROZEN_MESSAGE)


def new_token():
    return random_key()


class RoundQuerySet(models.QuerySet):
    def with_response_count(self):
        return self.annotate(response_count=models.Count("responses"))


class Round(models.Model):
    """One sending of an instrument (e.g. Före, Efter, Uppföljning), answered through a link."""

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("enkät")
    )
    name = models.CharField(_("namn"), max_length=120, help_text=_("Till exempel ”Före”."))
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="survey_rounds",
        verbose_name=_("kommun"),
    )
    unit = models.ForeignKey(
        "meetings.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_rounds",
        verbose_name=_("enhet"),
        help_text=_("Lämna tomt om omgången gäller hela kommunen."),
    )
    opens_on = models.DateField(_("öppnar"), default=timezone.localdate)
    closes_on = models.DateField(_("stänger"), null=True, blank=True)
    token = models.CharField(
        _("länknyckel"), max_length=40, unique=True, default=new_token, editable=False
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("omgång")
        verbose_name_plural = _("omgångar")
        ordering = ["opens_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="round_closes_after_opening",
                violation_error_message=_("Omgången kan inte stänga innan den öppnar."),
            ),
        ]

    def __str__(self):
        where = f" – {self.unit}" if self.unit_id else ""
        return f"{self.instrument.name}: {self.name}{where}"

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.opens_on <= today and (self.closes_on is None or today <= self.closes_on)

    def link(self):
        return settings.SITE_URL + reverse("surveys:answer", args=[self.token])


class Response(models.Model):
    """One anonymous respondent's answers in a round: no person, only function and unit."""

    class Function(models.TextChoices):
        MANAGEMENT = "ledning", _("Ledning")
        SUPPORT = "stod", _("Stöd")
        OPERATIONS = "verksamhet", _("Verksamhet")
        POLITICS = "politik", _("Politik")
        OTHER = "annan", _("Annan")

    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="responses", verbose_name=_("omgång")
    )
    function = models.CharField(_("funktion"), max_length=20, choices=Function.choices)
    unit = models.ForeignKey(
        "meetings.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
    )
    created_at = models.DateTimeField(_("inkommen"), auto_now_add=True)

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [
            models.CheckConstraint(
                condition=Q(function__in=["ledning", "stod", "verksamhet", "politik", "annan"]),
                name="response_function_valid",
            ),
        ]

    def __str__(self):
        return f"{self.round} – {self.get_function_display()}"


class Answer(models.Model):
    """The value one response gave one statement."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("svar")
    )
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="answers", verbose_name=_("påstående")
    )
    value = models.PositiveSmallIntegerField(_("värde"))

    class Meta:
        verbose_name = _("värde")
        verbose_name_plural = _("värden")
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=7),
                name="answer_value_1_to_7",
                violation_error_message=_("Svaret måste vara ett värde från 1 till 7."),
            ),
            models.UniqueConstraint(
                fields=["response", "statement"], name="answer_one_per_statement"
            ),
        ]

    def __str__(self):
        return f"{self.statement.number}: {self.value}"


class Invitation(models.Model):
    """A personal survey link for one invitee: guarantees one answer per person.

    It records only *whether* the invitee has answered – no time and no link to the
    response – so answers stay anonymous.
    """

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("omgång")
    )
    email = models.EmailField(_("e-post"))
    token = models.CharField(
        _("länknyckel"), max_length=40, unique=True, default=new_token, editable=False
    )
    sent = models.BooleanField(_("skickad"), default=False)
    answered = models.BooleanField(_("har svarat"), default=False)

    class Meta:
        verbose_name = _("personlig enkätlänk")
        verbose_name_plural = _("personliga enkätlänkar")
        constraints = [
            models.UniqueConstraint(fields=["round", "email"], name="invitation_unique_email"),
        ]

    def __str__(self):
        return f"{self.round}: {self.email}"

    def link(self):
        return settings.SITE_URL + reverse("surveys:answer_invited", args=[self.token])

    def claim(self):
        """Mark as answered; False if it already was (a second answer is refused)."""
        claimed = Invitation.objects.filter(pk=self.pk, answered=False).update(answered=True)
        self.answered = True
        return bool(claimed)


class SubmissionNonce(models.Model):
    """A one-time key handed out with the shared-link form (and kept in the browser's
    session). Sending the form claims it; a second send of the same form (a double click,
    two tabs) finds it claimed. Deliberately not linked to the response it let through."""

    nonce = models.CharField(_("engångsnyckel"), max_length=64, unique=True)
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="+", verbose_name=_("omgång")
    )
    # For the retention purge: a key is only needed while its form is being answered.
    created_at = models.DateTimeField(_("skapad"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("engångsnyckel")
        verbose_name_plural = _("engångsnycklar")

    def __str__(self):
        return self.nonce[:8]

    @classmethod
    def claim(cls, round, nonce):
        """True if this call claimed the nonce; False if it was claimed before. Call inside
        a transaction."""
        try:
            with transaction.atomic():
                cls.objects.create(round=round, nonce=nonce)
        except IntegrityError:
            return False
        return True
