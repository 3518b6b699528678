"""A participant's preparation: the questions of the template's steps that ask for it.

Nothing here knows the default template: the steps come from the meeting's template
version (Step.asks_preparation), their labels from the step (entry_label, reason_label).
Rows are posted as s<step id>-<row>-text and s<step id>-<row>-reason; a save replaces the
participant's answers with what was posted, so saving the same form twice changes nothing.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samtal.conversation_templates.models import Step

from .models import Preparation, PreparationAnswer

FIELD = re.compile(r"^s(?P<step>\d+)-(?P<row>\d+)-(?P<part>text|reason)$")


def max_chars():
    return getattr(settings, "PREPARATION_MAX_CHARS", 5000)


@dataclass
class Row:
    index: int
    text: str = ""
    reason: str = ""
    text_error: str = ""
    reason_error: str = ""
    taken: bool = False  # taken into the A3 during the meeting


@dataclass
class Question:
    step: Step
    prompt: str
    rows: list = field(default_factory=list)

    @property
    def has_reason(self):
        return bool(self.step.reason_label)

    @property
    def many(self):
        # In a round of wishes each person brings one (1) wish.
        return self.step.record_kind != Step.RecordKind.WISHES

    @property
    def optional(self):
        return self.step.record_kind == Step.RecordKind.WISHES

    @property
    def text_label(self):
        return self.step.entry_label or _("Ditt svar")

    @property
    def next_index(self):
        return max((row.index for row in self.rows), default=-1) + 1

    @property
    def answered(self):
        return any(row.text.strip() or row.reason.strip() for row in self.rows)


def preparation_steps(meeting):
    return [step for step in meeting.template_version.steps.all() if step.asks_preparation]


def preparation_for(participation):
    preparation, _created = Preparation.objects.get_or_create(participation=participation)
    return preparation


def questions_from_answers(meeting, preparation, steps=None):
    organisation = meeting.unit.organisation
    steps = steps if steps is not None else preparation_steps(meeting)
    answers = list(preparation.answers.all()) if preparation and preparation.pk else []
    questions = []
    for step in steps:
        question = Question(step=step, prompt=step.preparation_prompt_for(organisation))
        mine = [a for a in answers if a.step_id == step.id]
        question.rows = [
            Row(i, a.text, a.reason, taken=a.taken_at is not None) for i, a in enumerate(mine)
        ]
        if not question.rows:
            question.rows = [Row(0)]
        questions.append(question)
    return questions


def questions_from_post(meeting, data, steps=None):
    """The posted rows per question, with an error on each text that is too long."""
    organisation = meeting.unit.organisation
    steps = steps if steps is not None else preparation_steps(meeting)
    by_step = {step.id: {} for step in steps}
    for name, value in data.items():
        match = FIELD.match(name)
        if not match or int(match["step"]) not in by_step:
            continue
        row = by_step[int(match["step"])].setdefault(int(match["row"]), Row(int(match["row"])))
        setattr(row, match["part"], value.replace("\r\n", "\n"))
    questions = []
    errors = []
    limit = max_chars()
    for step in steps:
        question = Question(step=step, prompt=step.preparation_prompt_for(organisation))
        question.rows = [by_step[step.id][i] for i in sorted(by_step[step.id])] or [Row(0)]
        if not question.many:
            question.rows = question.rows[:1]
        for row in question.rows:
            for part in ("text", "reason"):
                length = len(getattr(row, part))
                if length > limit:
                    message = _(
                        "Texten är för lång: %(length)s tecken, högst %(limit)s får plats. "
                        "Korta den eller dela upp den på flera rader; inget av det du skrivit "
                        "har tagits bort."
                    ) % {
                        "length": f"{length:,}".replace(",", " "),
                        "limit": f"{limit:,}".replace(",", " "),
                    }
                    setattr(row, f"{part}_error", message)
                    errors.append((f"s{step.id}-{row.index}-{part}", message))
        questions.append(question)
    return questions, errors


class Conflict(Exception):
    """The preparation was saved from elsewhere (another device) since this page loaded."""

    def __init__(self, preparation):
        super().__init__("preparation changed")
        self.preparation = preparation


def posted_revision(data):
    """The revision the posted text was based on, or None (a page from before revisions)."""
    try:
        return int(data.get("revision", ""))
    except ValueError:
        return None


def save_answers(preparation, questions, revision=None):
    """Replace the preparation's answers with the given questions' non-empty rows.

    Rows with an error (too long) are left out; the participant still has them in the
    field. With a revision, the save is refused (Conflict) when the stored preparation has
    moved on since: the last save must never silently win over another device's text."""
    with transaction.atomic():
        locked = Preparation.objects.select_for_update().get(pk=preparation.pk)
        if revision is not None and revision != locked.revision:
            raise Conflict(locked)
        preparation.answers.filter(step__in=[q.step for q in questions]).delete()
        answers = []
        for question in questions:
            position = 0
            for row in question.rows:
                if row.text_error or row.reason_error:
                    continue
                text, reason = row.text.strip(), row.reason.strip()
                if not text and not reason:
                    continue
                answers.append(
                    PreparationAnswer(
                        preparation=preparation,
                        step=question.step,
                        text=text,
                        reason=reason if question.has_reason else "",
                        position=position,
                    )
                )
                position += 1
        PreparationAnswer.objects.bulk_create(answers)
        Preparation.objects.filter(pk=preparation.pk).update(
            revision=F("revision") + 1, updated_at=timezone.now()
        )
        preparation.refresh_from_db(fields=["revision", "updated_at"])


def mark_opened(preparation):
    """Record the first time the participant really used the page (not a link scanner).

    Leaves the revision alone, so that it never makes an autosave a conflict."""
    if preparation.opened_at is None:
        now = timezone.now()
        Preparation.objects.filter(pk=preparation.pk, opened_at__isnull=True).update(opened_at=now)
        preparation.opened_at = now


def stored_fields(questions):
    """The stored text as the page's field names: {"s<step>-<row>-text": text, …}."""
    fields = {}
    for question in questions:
        for row in question.rows:
            fields[f"s{question.step.id}-{row.index}-text"] = row.text
            if question.has_reason:
                fields[f"s{question.step.id}-{row.index}-reason"] = row.reason
    return fields


def missing_parts(meeting, preparation, steps=None):
    """What a participant still has to do, in words for a reminder."""
    steps = steps if steps is not None else preparation_steps(meeting)
    answers = list(preparation.answers.all()) if preparation else []
    missing = []
    for step in steps:
        if step.record_kind == Step.RecordKind.WISHES:
            continue
        if not any(a.step_id == step.id for a in answers):
            missing.append(_("Svar på %(key)s %(title)s") % {"key": step.key, "title": step.title})
    if preparation is None or preparation.submitted_at is None:
        missing.append(_("Markera förberedelsen som klar"))
    return missing


def can_edit(meeting):
    return meeting.status == meeting.Status.PLANNED
