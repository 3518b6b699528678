"""Issue 19: the handlingsplan PDF never hyphenates or breaks an owner's name inside a word."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from samtal.participants.models import Participation
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, make_user

pytestmark = pytest.mark.django_db

LONG_NAMES = [
    "Anna-Karin Wikström-Söderbergh",
    "Maximiliana Hedenstierna-Östergårdh",
    "Carl-Johan Ahlgren Lindqvist",
]


def plan_pdf(client, free_text_owner=""):
    meeting = finished_meeting("Hemtjänst", days_ago=21)
    karin = make_user("karin", first_name="Karin", last_name="Lindqvist")
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR, user=karin)
    owners = [add_participant(meeting, name) for name in LONG_NAMES]
    item = action(meeting, "Ta fram en analys av kostnadsutvecklingen", owners=owners)
    item.owner_names = free_text_owner
    item.save()
    client.force_login(karin)
    client.post(
        reverse("archive:plan", args=[meeting.pk]),
        {f"rapport_{item.pk}": timezone.localdate().isoformat()},
    )
    return client.get(reverse("archive:plan_pdf", args=[meeting.pk])).content


def lines(data):
    reader = PdfReader(io.BytesIO(data))
    return [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]


def test_owner_names_wrap_between_words_never_inside_one(client, tmp_path):
    data = plan_pdf(client, "Jenny Lundin, controller, Vård- och omsorgsförvaltningen")
    (tmp_path / "handlingsplan.pdf").write_bytes(data)  # to look at: pdftoppm -png
    text = lines(data)
    words = {word for line in text for word in line.split()}
    for name in LONG_NAMES:
        # A long name may wrap between its words, never inside one (no "Wik-ström").
        assert set(name.split()) <= words, (name, text)
    assert any("Jenny Lundin, controller," in line for line in text), text
