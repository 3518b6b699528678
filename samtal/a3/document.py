"""The A3 as one readable structure: the template's boxes with what was written in them.

Used by the meeting page, the live overview, the archive and the PDF, so all show the same
document. A fixed number of queries whatever the meeting's size.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from samtal.actions.models import ActionItem
from samtal.conversation_templates.models import Phase, Step
from samtal.participants.models import Participation

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
    meeting: object
    boxes: list
    other_notes: list
    parking_lot: list
    participations: list


def build_a3(meeting):
    organisation = meeting.unit.organisation
    steps = list(meeting.template_version.steps.all())
    participations = list(meeting.participations.select_related("person"))
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
        content = StepContent(step=step, prompt=step.prompt_for(organisation))
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

    boxes = []
    for step in steps:
        if not boxes or boxes[-1].phase != step.phase:
            boxes.append(
                Box(
                    number=len(boxes) + 1,
                    phase=step.phase,
                    phase_label=Phase(step.phase).label,
                    steps=[],
                )
            )
        boxes[-1].steps.append(contents[step.id])

    return A3(
        meeting=meeting,
        boxes=boxes,
        other_notes=[e for e in entries if e.step_id is None],
        parking_lot=list(meeting.parking_lot.all()),
        participations=participations,
    )
