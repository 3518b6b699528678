"""The A3 as one readable structure: the template's boxes with what was written in them.

Used by the meeting page, the live overview, the archive and the PDF, so all show the same
document. A fixed number of queries whatever the meeting's size.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from samtal.actions.models import ActionItem
from samtal.conversation_templates.models import Phase, Step
from samtal.participants.models import Participation

from .live_models import StepTimer
from .models import Entry, Wish


@dataclass
class StepContent:
    step: Step
    prompt: str
    entries: list = field(default_factory=list)
    questions: list = field(default_factory=list)  # [(question, [entries])]
    wishes: list = field(default_factory=list)
    agreed_wishes: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    attendees: list = field(default_factory=list)
    actual_minutes: int | None = None  # from the live step timer, once the step has run

    @property
    def is_empty(self):
        return not (
            self.entries
            or self.wishes
            or self.actions
            or self.attendees
            or any(notes for _, notes in self.questions)
        )


@dataclass
class Box:
    number: int
    phase: str
    phase_label: str
    steps: list


@dataclass
class A3:
    meeting: object  # None for a template's empty form
    boxes: list
    other_notes: list
    parking_lot: list
    participations: list
    version: object = None
    organisation: object = None


def boxes_of(contents):
    """The steps grouped into the A3's numbered boxes: one box per run of steps of a phase."""
    boxes = []
    for content in contents:
        step = content.step
        if not boxes or boxes[-1].phase != step.phase:
            boxes.append(
                Box(
                    number=len(boxes) + 1,
                    phase=step.phase,
                    phase_label=Phase(step.phase).label,
                    steps=[],
                )
            )
        boxes[-1].steps.append(content)
    return boxes


def empty_a3(version, organisation=None, steps=None):
    """A template version's A3 with nothing written in it (no meeting): the empty form
    and the editor's preview. `steps` may be unsaved Step objects (a draft being checked)."""
    steps = list(version.steps.all()) if steps is None else steps
    contents = [
        StepContent(
            step=step,
            prompt=step.prompt_for(organisation),
            questions=[(question, []) for question in step.questions],
        )
        for step in steps
    ]
    return A3(
        meeting=None,
        boxes=boxes_of(contents),
        other_notes=[],
        parking_lot=[],
        participations=[],
        version=version,
        organisation=organisation,
    )


def actual_minutes(meeting):
    """Minutes each step really took, by step id: the time it was the current step, kept on
    the live step timers (one query, for a finished meeting: the record of how the time went)."""
    if not meeting.is_finished:
        return {}  # while it runs, the projector's progress bar tells
    timers = StepTimer.objects.filter(session__meeting=meeting)
    took = {timer.step_id: timer.actual_seconds(meeting.finished_at) for timer in timers}
    return {step_id: max(1, round(seconds / 60)) for step_id, seconds in took.items() if seconds}


def build_a3(meeting, steps=None):
    """The meeting's A3; `steps` are its template version's, if the caller has them."""
    organisation = meeting.unit.organisation
    steps = list(meeting.template_version.steps.all()) if steps is None else steps
    # The A3's header shows when the meeting ends: the steps' sum, not another query.
    meeting.template_version.__dict__["total_minutes"] = sum(step.minutes for step in steps)
    participations = list(meeting.participations.select_related("person"))
    took = actual_minutes(meeting)
    by_id = {p.id: p for p in participations}

    entries = list(Entry.objects.filter(meeting=meeting))
    wishes = list(Wish.objects.filter(meeting=meeting))
    actions = list(
        ActionItem.objects.filter(meeting=meeting).prefetch_related(
            Prefetch("owners", queryset=Participation.objects.select_related("person"))
        )
    )
    for item in entries + wishes:
        item.participation = by_id.get(item.participation_id)

    contents = {}
    for step in steps:
        content = StepContent(
            step=step, prompt=step.prompt_for(organisation), actual_minutes=took.get(step.id)
        )
        step_entries = [e for e in entries if e.step_id == step.id]
        kind = step.record_kind
        if kind == Step.RecordKind.ATTENDANCE:
            content.attendees = [p for p in participations if p.present]
        elif kind == Step.RecordKind.WISHES:
            content.wishes = [w for w in wishes if w.step_id == step.id]
            content.agreed_wishes = sorted(
                (w for w in content.wishes if w.agreed_rank), key=lambda w: w.agreed_rank
            )
        elif kind == Step.RecordKind.ACTIONS:
            content.actions = [a for a in actions if a.step_id in (step.id, None)]
        if step.questions:
            content.questions = [
                (question, [e for e in step_entries if e.question_index == index])
                for index, question in enumerate(step.questions)
            ]
            content.entries = [e for e in step_entries if e.question_index is None]
        else:
            content.entries = step_entries
        contents[step.id] = content

    return A3(
        meeting=meeting,
        boxes=boxes_of(contents[step.id] for step in steps),
        other_notes=[e for e in entries if e.step_id is None],
        parking_lot=list(meeting.parking_lot.all()),
        participations=participations,
        version=meeting.template_version,
        organisation=organisation,
    )
