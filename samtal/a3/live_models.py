"""The live meeting's state: where the meeting is, the step timers, conflicts, audit trail.

Kept apart from the A3's content models so that the live machinery stays in one place.
Times are server timestamps only; devices count down locally from a step's planned end.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtal.core import idempotency


class LiveSession(models.Model):
    """Where a running meeting is: the current step, whose turn it is, and how to undo."""

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="live", verbose_name=_("samtal")
    )
    current_step = models.ForeignKey(
        "conversation_templates.Step",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("aktuellt steg"),
    )
    speaker = models.ForeignKey(
        "participants.Participation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("talar nu"),
    )
    # The state before the last step change, so that it can be undone at once.
    undo = models.JSONField(_("ångra"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("pågående samtal")
        verbose_name_plural = _("pågående samtal")

    def __str__(self):
        return f"Live: {self.meeting}"


class StepTimer(models.Model):
    """The countdown of one step: server timestamps, never a counter in a browser."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="timers")
    step = models.ForeignKey(
        "conversation_templates.Step", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("startade"), null=True, blank=True)
    running_since = models.DateTimeField(_("går sedan"), null=True, blank=True)
    paused_at = models.DateTimeField(_("pausad"), null=True, blank=True)
    elapsed_before_pause = models.FloatField(_("använda sekunder före paus"), default=0)
    added_minutes = models.PositiveIntegerField(_("tillagda minuter"), default=0)
    planned_end = models.DateTimeField(_("planerat slut"), null=True, blank=True)

    class Meta:
        verbose_name = _("stegtimer")
        verbose_name_plural = _("stegtimrar")
        constraints = [
            models.UniqueConstraint(fields=["session", "step"], name="step_timer_unique"),
        ]

    def __str__(self):
        return f"{self.step}: {self.added_minutes} min tillagda"

    @property
    def is_running(self):
        return self.running_since is not None

    @property
    def allowed_seconds(self):
        return (self.step.minutes + self.added_minutes) * 60

    def elapsed(self, now=None):
        now = now or timezone.now()
        running = (now - self.running_since).total_seconds() if self.running_since else 0
        return self.elapsed_before_pause + running

    def remaining(self, now=None):
        return self.allowed_seconds - self.elapsed(now)

    def start(self, now=None):
        if self.is_running:
            return
        now = now or timezone.now()
        self.started_at = self.started_at or now
        self.running_since = now
        self.paused_at = None
        self.planned_end = now + datetime.timedelta(seconds=self.remaining(now))

    def pause(self, now=None):
        if not self.is_running:
            return
        now = now or timezone.now()
        self.elapsed_before_pause = self.elapsed(now)
        self.running_since = None
        self.paused_at = now
        self.planned_end = None

    def add_minutes(self, minutes):
        self.added_minutes += minutes
        if self.planned_end:
            self.planned_end += datetime.timedelta(minutes=minutes)

    STATE_FIELDS = (
        "started_at",
        "running_since",
        "paused_at",
        "elapsed_before_pause",
        "added_minutes",
        "planned_end",
    )

    def snapshot(self):
        state = {}
        for name in self.STATE_FIELDS:
            value = getattr(self, name)
            state[name] = value.isoformat() if isinstance(value, datetime.datetime) else value
        return state

    def restore(self, state):
        for name in self.STATE_FIELDS:
            value = state.get(name)
            if name in ("elapsed_before_pause", "added_minutes"):
                value = value or 0
            elif value:
                value = datetime.datetime.fromisoformat(value)
            setattr(self, name, value)


class EditConflict(models.Model):
    """Two people changed the same text at once: both texts are kept until a person decides."""

    class Kind(models.TextChoices):
        ENTRY = "entry", _("Anteckning")
        WISH = "wish", _("Önskning")
        ACTION = "action", _("Åtgärd")

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="edit_conflicts"
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("id"))
    stored_text = models.TextField(_("sparad text"))
    stored_reason = models.TextField(_("sparad motivering"), blank=True)
    other_text = models.TextField(_("andra texten"))
    other_reason = models.TextField(_("andra motiveringen"), blank=True)
    other_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("uppstod"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("löst"), null=True, blank=True)

    class Meta:
        verbose_name = _("redigeringskonflikt")
        verbose_name_plural = _("redigeringskonflikter")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["meeting", "resolved_at"], name="conflict_meeting_open")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id}"


class A3Change(models.Model):
    """Who changed what and when in a live meeting (the audit trail kept after locking)."""

    class Kind(models.TextChoices):
        MEETING = "samtal", _("samtal")
        STEP = "steg", _("steg")
        TIME = "tid", _("tid")
        SPEAKER = "talare", _("talare")
        ATTENDANCE = "narvaro", _("närvaro")
        ENTRY = "anteckning", _("anteckning")
        WISH = "onskning", _("önskning")
        ACTION = "atgard", _("åtgärd")
        PARKING = "parkering", _("parkering")

    class Action(models.TextChoices):
        STARTED = "startade", _("startade")
        FINISHED = "avslutade", _("avslutade")
        STEP_CHANGED = "bytte_steg", _("bytte steg")
        STEP_UNDONE = "angrade_stegbyte", _("ångrade stegbyte")
        TIMER_STARTED = "startade_tiden", _("startade tiden")
        TIMER_PAUSED = "pausade_tiden", _("pausade tiden")
        TIME_ADDED = "lade_till_tid", _("lade till tid")
        GAVE_THE_FLOOR = "gav_ordet", _("gav ordet")
        ATTENDANCE = "narvaro", _("närvaro")
        UNANNOUNCED = "lade_till_oanmald", _("lade till oanmäld")
        WROTE = "skrev", _("skrev")
        CHANGED = "andrade", _("ändrade")
        DELETED = "tog_bort", _("tog bort")
        MOVED_UP = "flyttade_upp", _("flyttade upp")
        MOVED_DOWN = "flyttade_ned", _("flyttade ned")
        CONFLICT = "konflikt", _("konflikt")
        KEPT_STORED = "beholl_sparad", _("löste konflikt (behöll sparad text)")
        KEPT_OTHER = "tog_andra", _("löste konflikt (tog andra texten)")
        KEPT_BOTH = "beholl_bada", _("löste konflikt (behöll båda)")
        AGREED = "kom_overens", _("kom överens")
        UNAGREED = "tog_bort_overenskommelse", _("tog bort överenskommelse")
        REORDERED = "andrade_ordning", _("ändrade ordning")
        PARKED = "parkerade", _("parkerade")
        HANDLED = "hanterad", _("hanterad")
        REOPENED = "oppnad_igen", _("öppnad igen")
        RESTORED = "aterstallde", _("återställde borttagen text med en ändring")

    # The audit kind of each kind of edit conflict.
    CONFLICT_KINDS = {
        EditConflict.Kind.ENTRY: Kind.ENTRY,
        EditConflict.Kind.WISH: Kind.WISH,
        EditConflict.Kind.ACTION: Kind.ACTION,
    }

    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="a3_changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("när"), default=timezone.now)
    kind = models.CharField(_("vad"), max_length=30, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField(_("id"), null=True, blank=True)
    action = models.CharField(_("ändring"), max_length=30, choices=Action.choices)
    old_text = models.TextField(_("före"), blank=True)
    new_text = models.TextField(_("efter"), blank=True)

    # The key of the request that made this change (live.js sends one with every action),
    # so that the same action retried after a lost answer is done once.
    client_key = idempotency.client_key_field()

    class Meta:
        verbose_name = _("ändring i A3:an")
        verbose_name_plural = _("ändringar i A3:an")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["meeting", "at"], name="a3change_meeting_at")]
        constraints = [idempotency.once_per("meeting", "a3change_client_key_once")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.get_action_display()}"
