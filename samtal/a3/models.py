from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samtal.conversation_templates.models import Step
from samtal.core import idempotency


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
    client_key = idempotency.client_key_field()
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("anteckning")
        verbose_name_plural = _("anteckningar")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["meeting", "step", "position"], name="entry_meeting_step")]
        constraints = [idempotency.once_per("meeting", "entry_client_key_once")]

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
    client_key = idempotency.client_key_field()
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("önskning")
        verbose_name_plural = _("önskningar")
        ordering = ["position", "id"]
        constraints = [
            idempotency.once_per("meeting", "wish_client_key_once"),
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
    client_key = idempotency.client_key_field()
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("parkerad fråga")
        verbose_name_plural = _("parkeringsficka")
        ordering = ["position", "id"]
        constraints = [idempotency.once_per("meeting", "parking_client_key_once")]

    def __str__(self):
        return self.text[:60]


from .live_models import A3Change, EditConflict, LiveSession, StepTimer  # noqa: E402, F401
