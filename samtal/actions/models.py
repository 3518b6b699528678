from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActionStatus(models.TextChoices):
    NOT_STARTED = "ej_paborjad", _("Ej påbörjad")
    IN_PROGRESS = "pagar", _("Pågår")
    DONE = "klar", _("Klar")
    CANCELLED = "struken", _("Struken")


OPEN_STATUSES = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]


class ActionItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class ActionItem(models.Model):
    """An agreed next step (vad / vem / när) from step 4B."""

    Status = ActionStatus

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="action_items", verbose_name=_("samtal")
    )
    step = models.ForeignKey(
        "a3.Step", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("steg")
    )
    what = models.TextField(_("vad"))
    owners = models.ManyToManyField(
        "participants.Participation", blank=True, related_name="action_items", verbose_name=_("vem/vilka")
    )
    owner_names = models.CharField(
        _("vem/vilka (fritext)"), max_length=300, blank=True, help_text=_("Namn på den som inte deltog i samtalet.")
    )
    due_date = models.DateField(_("när (datum)"), null=True, blank=True)
    due_text = models.CharField(
        _("när (fritext)"), max_length=100, blank=True, help_text=_("Till exempel ”v. 12” eller ”innan budgetberedningen”.")
    )
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    position = models.PositiveIntegerField(_("ordning"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["ej_paborjad", "pagar", "klar", "struken"]),
                name="action_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due")]

    def __str__(self):
        return self.what[:60]

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    def is_overdue(self, today=None):
        return self.is_open and self.due_date is not None and self.due_date < (today or timezone.localdate())

    def who(self):
        """Everyone responsible, as one Swedish string."""
        names = [p.person.name for p in self.owners.all()]
        if self.owner_names:
            names.append(self.owner_names)
        return ", ".join(names)

    def when(self):
        if self.due_date and self.due_text:
            return f"{self.due_date:%Y-%m-%d} ({self.due_text})"
        if self.due_date:
            return f"{self.due_date:%Y-%m-%d}"
        return self.due_text


class FollowUp(models.Model):
    """A later report on an action item (återrapportering); earlier reports stay as history."""

    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("åtgärd")
    )
    reported_on = models.DateField(_("datum"), default=timezone.localdate)
    text = models.TextField(_("rapport"))
    status = models.CharField(_("ny status"), max_length=20, choices=ActionStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("rapporterad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("återrapportering")
        verbose_name_plural = _("återrapporteringar")
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return f"{self.action_item}: {self.get_status_display()}"
