from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtal.core.choices import MeetingStatus
from samtal.core.policy import is_reviewer


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

    def open_for_unit(self, unit, before_meeting=None):
        """Open actions from the unit's earlier finished meetings, earliest due first
        (undated last).

        For step 2 of a new meeting: follow-up happens in the meeting itself.
        """
        items = self.open().filter(meeting__unit=unit, meeting__status="avslutad")
        if before_meeting is not None:
            items = items.exclude(meeting=before_meeting).filter(
                Q(meeting__date__lt=before_meeting.date)
                | Q(
                    meeting__date=before_meeting.date,
                    meeting__start_time__lt=before_meeting.start_time,
                )
            )
        return items.select_related("meeting").order_by(
            F("due_date").asc(nulls_last=True), "meeting__date", "position", "id"
        )

    def visible_to(self, user, organisation):
        """Actions of the organisation on the follow-up board: kommunledning sees all,
        facilitators their meetings', owners their own. Only finished meetings' actions are
        followed up."""
        from samtal.participants.models import Participation

        items = self.filter(
            meeting__status=MeetingStatus.FINISHED, meeting__unit__organisation=organisation
        )
        if not user.is_authenticated or organisation is None:
            return items.none()
        if is_reviewer(user, organisation):
            return items
        facilitated = Participation.objects.filter(
            person__user=user, role=Participation.Role.FACILITATOR
        ).values("meeting_id")
        owned = ActionItem.owners.through.objects.filter(participation__person__user=user).values(
            "actionitem_id"
        )
        return items.filter(Q(meeting_id__in=facilitated) | Q(pk__in=owned))

    def for_board(self, today=None):
        """Overdue first, then open, then closed, each by due date (undated last); with the
        latest report."""
        today = today or timezone.localdate()
        latest = FollowUp.objects.filter(action_item=OuterRef("pk")).order_by("-reported_on", "-id")
        return (
            self.select_related("meeting__unit")
            .annotate(
                # Overdue, then the other open actions, then done and cancelled ones.
                overdue_first=Case(
                    When(status__in=OPEN_STATUSES, due_date__lt=today, then=Value(0)),
                    When(status__in=OPEN_STATUSES, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                ),
                latest_report_text=Subquery(latest.values("text")[:1]),
                latest_report_on=Subquery(latest.values("reported_on")[:1]),
            )
            .order_by(*board_order())
        )


def board_order():
    return (
        "overdue_first",
        F("due_date").asc(nulls_last=True),
        "-meeting__date",
        "position",
        "id",
    )


class ActionItem(models.Model):
    """An agreed next step (vad / vem / när) from step 4B."""

    Status = ActionStatus

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("samtal"),
    )
    step = models.ForeignKey(
        "conversation_templates.Step",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("steg"),
    )
    what = models.TextField(_("vad"))
    owners = models.ManyToManyField(
        "participants.Participation",
        blank=True,
        related_name="action_items",
        verbose_name=_("vem/vilka"),
    )
    owner_names = models.CharField(
        _("vem/vilka (fritext)"),
        max_length=300,
        blank=True,
        help_text=_("Namn på den som inte deltog i samtalet."),
    )
    due_date = models.DateField(_("när (datum)"), null=True, blank=True)
    due_text = models.CharField(
        _("när (fritext)"),
        max_length=100,
        blank=True,
        help_text=_("Till exempel ”v. 12” eller ”innan budgetberedningen”."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
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
        return (
            self.is_open
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )

    def report(self, text, status, reported_on=None, author=None):
        """Add a follow-up report; the action takes the report's status."""
        with transaction.atomic():
            follow_up = FollowUp.objects.create(
                action_item=self,
                text=text,
                status=status,
                reported_on=reported_on or timezone.localdate(),
                author=author,
            )
            self.status = status
            self.revision = F("revision") + 1
            self.save(update_fields=["status", "revision", "updated_at"])
            self.refresh_from_db(fields=["revision"])
        return follow_up

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
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapporterad av"),
    )
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("återrapportering")
        verbose_name_plural = _("återrapporteringar")
        ordering = ["-reported_on", "-id"]

    def __str__(self):
        return f"{self.action_item}: {self.get_status_display()}"


class ActionReminder(models.Model):
    """A reminder e-mail that was sent; never the same one twice."""

    class Kind(models.TextChoices):
        DUE_SOON = "snart", _("En vecka kvar")
        OVERDUE = "forsenad", _("Försenad")

    action_item = models.ForeignKey(
        ActionItem, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("åtgärd")
    )
    person = models.ForeignKey(
        "participants.Person",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("mottagare"),
    )
    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_item", "kind", "person"], name="action_reminder_once"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.action_item} → {self.person}"
