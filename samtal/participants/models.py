from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    """Someone who takes part in meetings, with or without a staff account."""

    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)
    title = models.CharField(_("titel/organisation"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("användarkonto"),
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~Q(email=""), name="person_unique_email"
            ),
        ]

    def __str__(self):
        return self.name


class Participation(models.Model):
    """A person in one meeting, with a role."""

    class Role(models.TextChoices):
        FACILITATOR = "samtalsledare", _("Samtalsledare")
        NOTE_TAKER = "antecknare", _("Antecknare")
        PARTICIPANT = "deltagare", _("Deltagare")
        OBSERVER = "observator", _("Observatör")

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("samtal"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="participations", verbose_name=_("person")
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    # None until attendance is taken in step 1.
    present = models.BooleanField(_("närvarande"), null=True, blank=True)
    unannounced = models.BooleanField(_("kom oanmäld"), default=False)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    added_at = models.DateTimeField(_("tillagd"), auto_now_add=True)
    # Bumped to revoke the personal link: tokens carry the generation they were made for.
    link_generation = models.PositiveIntegerField(_("länkgeneration"), default=1)
    link_revoked_at = models.DateTimeField(_("länk återkallad"), null=True, blank=True)

    class Meta:
        verbose_name = _("medverkande")
        verbose_name_plural = _("medverkande")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], name="participation_unique_person"
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(role="samtalsledare"),
                name="participation_one_facilitator",
                violation_error_message=_("Samtalet har redan en samtalsledare."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["samtalsledare", "antecknare", "deltagare", "observator"]),
                name="participation_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"

    def personal_link_token(self):
        from .links import make_token

        return make_token(self)

    def revoke_link(self):
        """Invalidate every link sent so far; a new one can be sent afterwards."""
        from django.utils import timezone

        self.link_generation += 1
        self.link_revoked_at = timezone.now()
        self.save(update_fields=["link_generation", "link_revoked_at"])

    @property
    def speaks(self):
        """Observers watch; everyone else is asked in a round."""
        return self.role != self.Role.OBSERVER


class Preparation(models.Model):
    """A participant's preparation before the meeting."""

    participation = models.OneToOneField(
        Participation,
        on_delete=models.CASCADE,
        related_name="preparation",
        verbose_name=_("medverkande"),
    )
    opened_at = models.DateTimeField(_("öppnad"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("inskickad"), null=True, blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("förberedelse")
        verbose_name_plural = _("förberedelser")

    def __str__(self):
        return f"Förberedelse: {self.participation}"


class PreparationAnswer(models.Model):
    """One prepared item for a step, e.g. a claim with its "därför att"."""

    preparation = models.ForeignKey(
        Preparation, on_delete=models.CASCADE, related_name="answers", verbose_name=_("förberedelse")
    )
    step = models.ForeignKey(
        "a3.Step", on_delete=models.PROTECT, related_name="+", verbose_name=_("steg")
    )
    text = models.TextField(_("text"), blank=True)
    reason = models.TextField(_("därför att"), blank=True)
    position = models.PositiveIntegerField(_("ordning"), default=0)

    class Meta:
        verbose_name = _("förberett svar")
        verbose_name_plural = _("förberedda svar")
        ordering = ["step__order", "position", "id"]

    def __str__(self):
        return self.text[:60]
