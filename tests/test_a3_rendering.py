"""One A3 rendering (issue 11, part 5): the meeting page, the participant's read-only view,
the projector and the PDF all show the same records, in the same order, step by step.

Each output is reduced to the sequence of written texts it shows (attendees' names, notes,
their "därför att", wishes, actions, parked questions); the sequences must match. Should one
output get its own copy of a step again and drift, this fails.
"""

import re
from html.parser import HTMLParser

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from samtal.a3.document import build_a3
from samtal.a3.live_models import LiveSession
from samtal.a3.models import Entry, ParkingLotItem, Step
from samtal.a3.pdf import _context
from samtal.meetings.models import Meeting
from samtal.participants.links import make_token
from tests.a3_fill import fill_a3
from tests.factories import add_participant, staffed_meeting

pytestmark = pytest.mark.django_db

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Regions(HTMLParser):
    """The text inside every element matching `key(tag, attrs)`, by key."""

    def __init__(self, key):
        super().__init__(convert_charrefs=True)
        self.key = key
        self.open = []  # [(depth, key)]
        self.depth = 0
        self.texts = {}

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        self.depth += 1
        key = self.key(tag, dict(attrs))
        if key is not None:
            self.open.append((self.depth, key))
            self.texts.setdefault(key, [])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.open and self.open[-1][0] >= self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data):
        for _depth, key in self.open:
            self.texts[key].append(data)


def regions(html, key):
    parser = Regions(key)
    parser.feed(html)
    return {k: re.sub(r"\s+", " ", "".join(parts)) for k, parts in parser.texts.items()}


def by_step(tag, attrs):
    return attrs.get("data-a3-step")


def whole_a3(tag, attrs):
    classes = attrs.get("class", "").split()
    return "a3" if {"a3", "sheet"} & set(classes) else None


def sequence(text, known):
    """The known texts in the order they occur in `text` (each occurrence counts)."""
    found = [
        (match.start(), item) for item in known for match in re.finditer(re.escape(item), text)
    ]
    return [item for _position, item in sorted(found)]


@pytest.fixture
def filled():
    meeting, facilitator, _note_taker = staffed_meeting(
        status=Meeting.Status.FINISHED, days_from_today=-2
    )
    add_participant(meeting, "Stina Ny", title="Controller", unannounced=True, present=True)
    texts = fill_a3(meeting, claims=4, items=3, notes=2)
    steps = {step.record_kind: step for step in meeting.template_version.steps.all()}
    # Notes outside the questions, in the step with questions and in the actions step.
    for kind, text in [
        (Step.RecordKind.QUESTION_NOTES, "Utanför frågorna: ett eget spår"),
        (Step.RecordKind.ACTIONS, "Till åtgärderna: budgeten avgör takten"),
    ]:
        Entry.objects.create(meeting=meeting, step=steps[kind], text=text, position=99)
        texts.append(text)
    resolved = ParkingLotItem.objects.create(
        meeting=meeting, text="Hanterad fråga om nattpatrullen", resolved=True, position=9
    )
    texts.append(resolved.text)
    names = [p.person.name for p in meeting.participations.select_related("person")]
    return meeting, facilitator, texts + names


def pdf_html(meeting):
    context = _context(build_a3(meeting), layout="grid", blank=False, preparation=False)
    return render_to_string("a3/pdf/a3.html", context)


def test_web_participant_projector_and_pdf_show_the_same_records_in_the_same_order(client, filled):
    meeting, facilitator, known = filled
    client.force_login(facilitator)
    web = client.get(reverse("meetings:detail", args=[meeting.pk]))
    participant = meeting.participations.get(person__name="Maria Ek")
    own = client.get(reverse("participants:a3", args=[make_token(participant)]))
    assert web.status_code == own.status_code == 200
    web, own, pdf = web.content.decode(), own.content.decode(), pdf_html(meeting)

    web_steps = regions(web, by_step)
    keys = [step.key for step in meeting.template_version.steps.all()]
    assert list(web_steps) == keys
    assert regions(own, by_step) == web_steps
    pdf_steps = regions(pdf, by_step)
    assert list(pdf_steps) == keys

    shown = 0
    for step in meeting.template_version.steps.all():
        expected = sequence(web_steps[step.key], known)
        shown += len(expected)
        session, _ = LiveSession.objects.update_or_create(
            meeting=meeting, defaults={"current_step": step}
        )
        projector = client.get(reverse("a3_live:projector", args=[meeting.pk]))
        assert projector.status_code == 200
        on_screen = regions(projector.content.decode(), by_step)
        assert list(on_screen) == [step.key]
        assert sequence(on_screen[step.key], known) == expected, step.key
        assert sequence(pdf_steps[step.key], known) == expected, step.key
    assert shown > len(known)  # every text, and names and agreed wishes more than once

    # The whole document, boxes and extras: the same.
    web_all = sequence(regions(web, whole_a3)["a3"], known)
    assert sequence(regions(own, whole_a3)["a3"], known) == web_all
    assert sequence(regions(pdf, whole_a3)["a3"], known) == web_all
    assert set(known) <= set(web_all)


def test_every_record_kind_has_its_partial():
    """The one dispatch (a3/records/_records.html) finds a partial for every kind."""
    from django.template.loader import get_template

    for kind in Step.RecordKind.values:
        assert get_template(f"a3/records/_{kind}.html")
