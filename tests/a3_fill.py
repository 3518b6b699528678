"""Fill a meeting's A3 with a lot of text (used by the PDF tests and bench/pdf.py)."""

import datetime
import itertools

from samtal.a3.models import Entry, ParkingLotItem, Wish
from samtal.actions.models import ActionItem
from samtal.conversation_templates.models import Step

WORDS = [
    "brukarna",
    "upplever",
    "större",
    "trygghet",
    "när",
    "samma",
    "personal",
    "kommer",
    "återkommande",
    "och",
    "väntetiden",
    "för",
    "insatser",
    "har",
    "minskat",
    "märkbart",
    "under",
    "året",
    "medan",
    "kostnaden",
    "per",
    "timme",
    "ökat",
    "något",
    "vilket",
    "nämnden",
    "behöver",
    "förstå",
    "bättre",
    "före",
    "nästa",
    "budgetberedning",
    "där",
    "förvaltningen",
    "redovisar",
    "åtgärder",
    "för",
    "kontinuitet",
    "kvalitet",
    "och",
    "arbetsmiljö",
    "i",
    "hemtjänstens",
    "alla",
    "områden",
    "från",
    "Matfors",
    "till",
    "Alnö",
    "och",
    "Liden",
]


def text_of(length, label):
    """Swedish-looking text of exactly `length` characters, starting with a unique label."""
    words = itertools.cycle(WORDS)
    text = f"{label}:"
    while len(text) < length:
        text += " " + next(words)
    return text[:length].rstrip() + "." * (length - len(text[:length].rstrip()))


def fill_a3(meeting, claims=10, claim_chars=180, reason_chars=120, items=5, notes=4):
    """Write into every box: attendance, claims, a list, notes per question, wishes
    (three agreed), actions, communication, other notes and the parking lot."""
    participations = list(meeting.participations.all())
    for participation in participations:
        participation.present = True
        participation.save(update_fields=["present"])
    steps = {step.record_kind: step for step in meeting.template_version.steps.all()}
    speakers = itertools.cycle(participations or [None])
    texts = []

    def entry(step, label, length, question_index=None, reason_length=0, position=0):
        item = Entry.objects.create(
            meeting=meeting,
            step=step,
            question_index=question_index,
            participation=next(speakers) if step else None,
            text=text_of(length, label),
            reason=text_of(reason_length, label + " därför") if reason_length else "",
            position=position,
        )
        texts.extend(t for t in (item.text, item.reason) if t)

    for i in range(claims):
        entry(
            steps[Step.RecordKind.CLAIMS],
            f"Påstående {i + 1}",
            claim_chars,
            reason_length=reason_chars,
            position=i,
        )
    for i in range(items):
        entry(steps[Step.RecordKind.LIST], f"Annat resultat {i + 1}", 140, position=i)
    question_step = steps[Step.RecordKind.QUESTION_NOTES]
    for q in range(len(question_step.questions)):
        for i in range(notes):
            entry(question_step, f"Fråga {q + 1} anteckning {i + 1}", 160, q, position=i)
    wish_step = steps[Step.RecordKind.WISHES]
    for i, participation in enumerate(participations[:5] or [None]):
        wish = Wish.objects.create(
            meeting=meeting,
            step=wish_step,
            participation=participation,
            text=text_of(120, f"Önskan {i + 1}"),
            reason=text_of(90, f"Önskan {i + 1} därför"),
            agreed_rank=i + 1 if i < 3 else None,
            position=i,
        )
        texts.extend([wish.text, wish.reason])
    action_step = steps[Step.RecordKind.ACTIONS]
    for i in range(4):
        action = ActionItem.objects.create(
            meeting=meeting,
            step=action_step,
            what=text_of(110, f"Åtgärd {i + 1}"),
            owner_names="Förvaltningschefen",
            due_date=meeting.date + datetime.timedelta(days=30 * (i + 1)),
            position=i,
        )
        action.owners.set(participations[:2])
        texts.append(action.what)
    if action_step.questions:
        entry(action_step, "Kommunikation", 150, question_index=0)
    for i in range(2):
        entry(None, f"Övrigt {i + 1}", 150, position=i)
    for i in range(2):
        item = ParkingLotItem.objects.create(
            meeting=meeting, text=text_of(100, f"Parkerad fråga {i + 1}"), position=i
        )
        texts.append(item.text)
    return texts
