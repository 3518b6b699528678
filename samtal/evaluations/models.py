"""After the meeting: each participant's reflection (seed 000, Bilaga 2) and the group's
four-perspective split of the time ("Vi ska belysa resultat ur fyra perspektiv", Figur 3)."""

import datetime
from collections import Counter

from django.db import models
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samtal.meetings.models import Meeting
from samtal.surveys.models import MIN_GROUP_SIZE

EDITABLE_DAYS = 14


def finished_on(meeting):
    """The day the meeting finished: finished_at, or its date if that was never recorded."""
    if meeting.finished_at:
        return timezone.localdate(meeting.finished_at)
    return meeting.date


def evaluation_deadline(meeting):
    """The last day an evaluation or a split can still be written or changed."""
    return finished_on(meeting) + datetime.timedelta(days=EDITABLE_DAYS)


def evaluation_open(meeting, today=None):
    """Reflections are written after the meeting, for EDITABLE_DAYS days."""
    if meeting.status != Meeting.Status.FINISHED:
        return False
    return (today or timezone.localdate()) <= evaluation_deadline(meeting)


def split_open(meeting):
    """Devices split the time only while the meeting runs and the facilitator has opened the
    group reflection ("before closing"); once the meeting is finished the split is part of
    the archived A3 and never changes."""
    if meeting.status != Meeting.Status.RUNNING:
        return False
    return PerspectiveRound.objects.filter(
        meeting=meeting, opened_at__isnull=False, closed_at__isnull=True
    ).exists()


# The questions of Bilaga 2, in order: (field name, question). "Din roll" comes first.
QUESTIONS = [
    (
        "method_clarified",
        _(
            "Bidrog metoden till ökad förståelse och tydliggörande av förväntningar och "
            "resultat? Beskriv på vilket sätt. Om inte vad saknades?"
        ),
    ),
    (
        "everyone_spoke",
        _(
            "Fick alla komma till tals? Blev alla delaktiga och engagerade? Reflektera och "
            "kommentera."
        ),
    ),
    (
        "views_taken_care_of",
        _(
            "Togs allas åsikter och synpunkter tillvara? Kommentera. Var det något du lyfte "
            "som inte kom med? I så fall vad?"
        ),
    ),
    (
        "documentation_useful",
        _(
            "Hur användbar upplever du att dokumentationen blev med metoden? Kommer den att "
            "vara ett stöd för verksamheten?"
        ),
    ),
    (
        "time_distribution",
        _("Var tiden rätt disponerad i mallen? Om inte vad behöver ändras?"),
    ),
    (
        "good_and_less_good",
        _("Vad var bra respektive mindre bra med metoden? Saknade du något? I så fall vad?"),
    ),
    ("other_comments", _("Övriga kommentarer")),
]
QUESTION_FIELDS = [name for name, _question in QUESTIONS]


class EvaluationQuerySet(models.QuerySet):
    def for_meeting(self, meeting):
        return self.filter(participation__meeting=meeting)


class Evaluation(models.Model):
    """A participant's individual reflection after a meeting (optional, one per participation)."""

    participation = models.OneToOneField(
        "participants.Participation",
        on_delete=models.CASCADE,
        related_name="evaluation",
        verbose_name=_("medverkande"),
    )
    role = models.CharField(_("Din roll"), max_length=200, blank=True)
    method_clarified = models.TextField(QUESTIONS[0][1], blank=True)
    everyone_spoke = models.TextField(QUESTIONS[1][1], blank=True)
    views_taken_care_of = models.TextField(QUESTIONS[2][1], blank=True)
    documentation_useful = models.TextField(QUESTIONS[3][1], blank=True)
    time_distribution = models.TextField(QUESTIONS[4][1], blank=True)
    good_and_less_good = models.TextField(QUESTIONS[5][1], blank=True)
    other_comments = models.TextField(QUESTIONS[6][1], blank=True)
    created_at = models.DateTimeField(_("besvarad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"Utvärdering: {self.participation}"

    def answers(self):
        """(question, answer) pairs in the order of Bilaga 2."""
        return [(question, getattr(self, name)) for name, question in QUESTIONS]

    @property
    def is_empty(self):
        return not self.role.strip() and not any(
            getattr(self, name).strip() for name in QUESTION_FIELDS
        )


class ReflectionRequest(models.Model):
    """That a participant was emailed the reflection request, so nobody is asked twice."""

    participation = models.OneToOneField(
        "participants.Participation",
        on_delete=models.CASCADE,
        related_name="reflection_request",
        verbose_name=_("medverkande"),
    )
    sent_at = models.DateTimeField(_("skickad"), default=timezone.now)

    class Meta:
        verbose_name = _("utskick av utvärdering")
        verbose_name_plural = _("utskick av utvärdering")

    def __str__(self):
        return f"{self.participation} ({self.sent_at:%Y-%m-%d})"


PERSPECTIVES = [
    ("citizens", _("Medborgare/brukare")),
    ("employees", _("Medarbetare")),
    ("process", _("Process & verksamhet")),
    ("economy", _("Ekonomi")),
    ("other", _("Annat")),
]
PERSPECTIVE_FIELDS = [name for name, _label in PERSPECTIVES]


class PerspectiveSplitQuerySet(models.QuerySet):
    def individual(self):
        return self.filter(is_group_entry=False)

    def group_entries(self):
        return self.filter(is_group_entry=True)


class PerspectiveSplit(models.Model):
    """How one device (a participant, a staff member) or the facilitator on behalf of the
    group splits 100 % of the meeting's time over the four perspectives and "Annat"."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="perspective_splits",
        verbose_name=_("samtal"),
    )
    participation = models.ForeignKey(
        "participants.Participation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="perspective_splits",
        verbose_name=_("medverkande"),
    )
    is_group_entry = models.BooleanField(_("gruppens överenskomna fördelning"), default=False)
    citizens = models.PositiveSmallIntegerField(_("Medborgare/brukare"), default=0)
    employees = models.PositiveSmallIntegerField(_("Medarbetare"), default=0)
    process = models.PositiveSmallIntegerField(_("Process & verksamhet"), default=0)
    economy = models.PositiveSmallIntegerField(_("Ekonomi"), default=0)
    other = models.PositiveSmallIntegerField(_("Annat"), default=0)
    other_what = models.CharField(_("Annat – vad?"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    objects = PerspectiveSplitQuerySet.as_manager()

    class Meta:
        verbose_name = _("fördelning över perspektiv")
        verbose_name_plural = _("fördelningar över perspektiv")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    citizens__lte=100,
                    employees__lte=100,
                    process__lte=100,
                    economy__lte=100,
                    other__lte=100,
                ),
                name="split_each_at_most_100",
            ),
            models.CheckConstraint(
                condition=Q(
                    citizens__gte=0, employees__gte=0, process__gte=0, economy__gte=0, other__gte=0
                ),
                name="split_each_at_least_0",
            ),
            models.CheckConstraint(
                condition=Q(
                    citizens=100
                    - models.F("employees")
                    - models.F("process")
                    - models.F("economy")
                    - models.F("other")
                ),
                name="split_sums_to_100",
                violation_error_message=_("Fördelningen måste bli exakt 100 %%."),
            ),
            models.UniqueConstraint(
                fields=["meeting", "participation"],
                condition=Q(is_group_entry=False),
                name="split_one_per_participation",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=Q(is_group_entry=True),
                name="split_one_group_entry",
            ),
        ]

    def __str__(self):
        return f"{self.meeting}: " + ", ".join(f"{v} %" for v in self.values())

    def values(self):
        return [getattr(self, name) for name in PERSPECTIVE_FIELDS]

    @property
    def total(self):
        return sum(self.values())


class GroupSplit:
    """The group's split for a chart: the facilitator's group entry if one was made (the
    group agreed on it, as Figur 3 asks), otherwise the average of every device's split."""

    def __init__(self, meeting, percentages, *, source, count, other_what=""):
        self.meeting = meeting
        self.percentages = percentages  # floats, one per perspective, or None when empty
        self.source = source  # "group", "average" or "none"
        self.count = count
        self.other_what = other_what

    @classmethod
    def for_meeting(cls, meeting):
        """Two queries, whatever the number of devices."""
        return splits_by_meeting([meeting])[meeting.pk]

    @property
    def is_empty(self):
        return self.percentages is None

    def rows(self):
        """(label, percent) rows for the chart and its table."""
        if self.percentages is None:
            return []
        rows = []
        for (name, label), value in zip(PERSPECTIVES, self.percentages, strict=True):
            if name == "other" and self.other_what:
                label = f"{label} ({self.other_what})"
            rows.append((label, round(value, 1)))
        return rows


def splits_by_meeting(meetings):
    """GroupSplit for many meetings in two queries (for the kommunledning pages)."""
    meeting_ids = [m.pk for m in meetings]
    groups = {
        s.meeting_id: s
        for s in PerspectiveSplit.objects.filter(meeting_id__in=meeting_ids).group_entries()
    }
    averages = {
        row["meeting_id"]: row
        for row in PerspectiveSplit.objects.filter(meeting_id__in=meeting_ids)
        .individual()
        .values("meeting_id")
        .annotate(n=Count("id"), **{name: Avg(name) for name in PERSPECTIVE_FIELDS})
    }
    result = {}
    for meeting in meetings:
        avg = averages.get(meeting.pk)
        count = avg["n"] if avg else 0
        if meeting.pk not in groups and 0 < count < MIN_GROUP_SIZE and not meeting.is_running:
            # The surveys' rule: an average of fewer than five answers could be traced to
            # the people who gave them. The room sees its own answers while it runs.
            result[meeting.pk] = GroupSplit(meeting, None, source="too_few", count=count)
        elif meeting.pk in groups:
            group = groups[meeting.pk]
            result[meeting.pk] = GroupSplit(
                meeting,
                [float(v) for v in group.values()],
                source="group",
                count=count,
                other_what=group.other_what,
            )
        elif avg:
            result[meeting.pk] = GroupSplit(
                meeting,
                [float(avg[name]) for name in PERSPECTIVE_FIELDS],
                source="average",
                count=count,
            )
        else:
            result[meeting.pk] = GroupSplit(meeting, None, source="none", count=0)
    return result


def with_shown_roles(evaluations):
    """Each reflection gets `shown_role`: its role only when at least MIN_GROUP_SIZE of the
    reflections beside it give the same role, so no one can be told apart (the surveys'
    rule); `role_hidden` says a role was given but is not shown."""
    evaluations = list(evaluations)
    counts = Counter(" ".join(e.role.split()).casefold() for e in evaluations if e.role)
    for evaluation in evaluations:
        key = " ".join(evaluation.role.split()).casefold()
        shown = bool(key) and counts[key] >= MIN_GROUP_SIZE
        evaluation.shown_role = evaluation.role if shown else ""
        evaluation.role_hidden = bool(key) and not shown
    return evaluations


def participation_of(user, meeting):
    """The logged-in user's participation in the meeting, or None."""
    if not user.is_authenticated:
        return None
    return meeting.participations.filter(person__user=user).select_related("person").first()


class PerspectiveRound(models.Model):
    """The group reflection of one meeting: the facilitator opens it while the meeting runs
    (devices can then split the time) and closes it again."""

    meeting = models.OneToOneField(
        "meetings.Meeting",
        on_delete=models.CASCADE,
        related_name="perspective_round",
        verbose_name=_("samtal"),
    )
    opened_at = models.DateTimeField(_("öppnad"), null=True, blank=True)
    closed_at = models.DateTimeField(_("stängd"), null=True, blank=True)

    class Meta:
        verbose_name = _("gruppreflektion")
        verbose_name_plural = _("gruppreflektioner")

    def __str__(self):
        return f"Gruppreflektion: {self.meeting}"

    @property
    def is_open(self):
        return self.opened_at is not None and self.closed_at is None

    @classmethod
    def open_for(cls, meeting):
        """Open (or reopen) the group reflection. Returns False unless the meeting runs."""
        if meeting.status != Meeting.Status.RUNNING:
            return False
        cls.objects.update_or_create(
            meeting=meeting, defaults={"opened_at": timezone.now(), "closed_at": None}
        )
        return True

    @classmethod
    def close_for(cls, meeting):
        return bool(
            cls.objects.filter(meeting=meeting, closed_at__isnull=True).update(
                closed_at=timezone.now()
            )
        )
