from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtal.core import idempotency
from samtal.core.choices import MeetingStatus
from samtal.core.policy import is_reviewer


class ActionStatus(models.TextChoices):
    NOT_STARTED = "ej_paborjad", _("Ej påbörjad")
    IN_PROGRESS = "pagar", _("Pågår")
    DONE = "klar", _("Klar")
    CANCELLED = "struken", _("Struken")


OPEN_STATUSES = [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS]
STATUS_LABELS = dict(ActionStatus.choices)


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
    """Open before closed, then by due date (undated last): among open actions that puts the
    overdue ones first. The first two keys are the index `action_board`, so the board
    reads one page of the index however many actions there are."""
    return (
        "closed",
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
    report_by = models.DateField(
        _("återrapporteras senast"),
        null=True,
        blank=True,
        help_text=_("Sätts när handlingsplanen utfärdas."),
    )
    position = models.PositiveIntegerField(_("ordning"), default=0)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    client_key = idempotency.client_key_field()
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)
    # Kept by the database from `status` (done or cancelled), for the board's index.
    closed = models.GeneratedField(
        expression=~Q(status__in=["ej_paborjad", "pagar"]),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("avslutad"),
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        ordering = ["position", "id"]
        constraints = [
            idempotency.once_per("meeting", "action_client_key_once"),
            models.CheckConstraint(
                condition=Q(status__in=["ej_paborjad", "pagar", "klar", "struken"]),
                name="action_status_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            models.Index(fields=["closed", "due_date", "meeting"], name="action_board"),
        ]

    def __str__(self):
        return self.what[:60]

    @property
    def is_open(self):
        return self.status in OPEN_STATUSES

    @property
    def status_label(self):
        """get_status_display() without its per-call hashing of every choice (a board page
        shows dozens)."""
        return STATUS_LABELS.get(self.status, self.status)

    def is_overdue(self, today=None):
        return (
            self.is_open
            and self.due_date is not None
            and self.due_date < (today or timezone.localdate())
        )

    def report(
        self, text, status, reported_on=None, author=None, reporter=None, client_key="", **fields
    ):
        """Add a follow-up report; the action takes the report's status.

        `author` is the staff account that wrote it (if any), `reporter` the person it is
        from — a participant reporting by link has a person but usually no account. The same
        client_key twice (a double click, a retry) stores one report."""
        if reporter is None and author is not None:
            reporter = getattr(author, "person", None)
        with transaction.atomic():
            ActionItem.objects.select_for_update().filter(pk=self.pk).first()
            if client_key and (done := self.follow_ups.filter(client_key=client_key).first()):
                return done
            follow_up = FollowUp.objects.create(
                client_key=client_key,
                action_item=self,
                text=text,
                status=status,
                reported_on=reported_on or timezone.localdate(),
                author=author,
                reporter=reporter,
                **fields,
            )
            self.status = status
            self.revision = F("revision") + 1
            self.save(update_fields=["status", "revision", "updated_at"])
            self.refresh_from_db(fields=["revision"])
        return follow_up

    def who_list(self):
        """Everyone responsible: the owners' names, then the free-text owner (if any)."""
        names = [p.person.name for p in self.owners.all()]
        if self.owner_names:
            names.append(self.owner_names)
        return names

    def who(self):
        """Everyone responsible, as one Swedish string."""
        return ", ".join(self.who_list())

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
    client_key = idempotency.client_key_field()
    reporter = models.ForeignKey(
        "participants.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rapporterad av (person)"),
    )
    attachment = models.FileField(
        _("bilaga"), upload_to="aterrapporter/%Y/", max_length=300, blank=True
    )
    attachment_name = models.CharField(_("bilagans filnamn"), max_length=255, blank=True)
    attachment_type = models.CharField(_("bilagans typ"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)

    class Meta:
        verbose_name = _("återrapportering")
        verbose_name_plural = _("återrapporteringar")
        ordering = ["-reported_on", "-id"]
        constraints = [idempotency.once_per("action_item", "follow_up_client_key_once")]

    def __str__(self):
        return f"{self.action_item}: {self.get_status_display()}"

    @property
    def status_label(self):
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def author_name(self):
        """Who reported, as a name: the person, else the account, else empty."""
        if self.reporter_id:
            return self.reporter.name
        if self.author_id:
            return self.author.get_full_name() or self.author.username
        return ""


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


class ActionPlan(models.Model):
    """A finished meeting's handlingsplan: its agreed actions issued as uppdrag, each with
    an owner, a due date and when it is to be reported back (seed 003)."""

    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="action_plan",
        verbose_name=_("samtal"),
    )
    issued_at = models.DateTimeField(_("utfärdad"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("utfärdad av"),
    )
    note = models.TextField(_("kommentar"), blank=True)

    class Meta:
        verbose_name = _("handlingsplan")
        verbose_name_plural = _("handlingsplaner")

    def __str__(self):
        return f"{self.meeting}"

    @property
    def issued_by_name(self):
        user = self.issued_by
        return (user.get_full_name() or user.username) if user else ""


class ReportBack(models.Model):
    """An återrapportering: a unit's reports on its uppdrag gathered into one document, for
    the unit's next meeting or the owner's board, which kommunledning notes ("antecknad")."""

    unit = models.ForeignKey(
        "meetings.Unit",
        on_delete=models.CASCADE,
        related_name="report_backs",
        verbose_name=_("enhet"),
    )
    title = models.CharField(_("rubrik"), max_length=200)
    follow_ups = models.ManyToManyField(
        FollowUp, related_name="report_backs", verbose_name=_("återrapporter")
    )
    created_at = models.DateTimeField(_("sammanställd"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sammanställd av"),
    )
    noted_on = models.DateField(_("antecknad"), null=True, blank=True)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("antecknad av"),
    )

    class Meta:
        verbose_name = _("återrapportering (sammanställning)")
        verbose_name_plural = _("återrapporteringar (sammanställningar)")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="report_back_unit")]

    def __str__(self):
        return self.title

    def note(self, user, on):
        self.noted_on = on
        self.noted_by = user
        self.save(update_fields=["noted_on", "noted_by"])

    @classmethod
    def gather(cls, unit, user, title=None):
        """A new återrapportering with every report on the unit's actions that is not yet in
        one; None when there is nothing new."""
        reports = FollowUp.objects.filter(
            action_item__meeting__unit=unit, report_backs__isnull=True
        )
        ids = list(reports.values_list("pk", flat=True))
        if not ids:
            return None
        today = timezone.localdate()
        with transaction.atomic():
            report_back = cls.objects.create(
                unit=unit,
                title=title
                or _("Återrapportering %(unit)s %(date)s") % {"unit": unit.name, "date": today},
                created_by=user,
            )
            report_back.follow_ups.set(ids)
        return report_back
