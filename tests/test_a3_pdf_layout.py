"""The PDF never cuts and never wastes pages, reads like the paper (issue 17).

The full-size case (100 entries of up to 20,000 characters) runs once per suite (in the
SQLite pass: the PDF does not depend on the database); `bench/pdf.py --stress` prints its
figures and writes the pages as PNG to look at.
"""

import datetime
import io
import subprocess

import pytest
from django.utils import timezone
from pypdf import PdfReader

from samtal.a3.live_models import LiveSession, StepTimer
from samtal.a3.models import Entry
from samtal.a3.pdf import render_pdf
from samtal.meetings.models import Meeting
from tests.a3_stress import check_pdf, fill_stress, footer_words, headings_of, pdf_words
from tests.factories import staffed_meeting

pytestmark = pytest.mark.django_db


def test_a_long_a3_flows_over_pages_with_every_character_and_nothing_over_the_footer():
    meeting, *_ = staffed_meeting()
    texts = fill_stress(meeting, entries=24, scale=0.12)
    assert max(map(len, texts)) >= 2400
    data = render_pdf(meeting)
    pages = pdf_words(data)
    assert len(pages) >= 3
    assert check_pdf(data, texts, footer_words(meeting), headings=headings_of(meeting)) == []
    # Every page after the first says which box it continues.
    for _width, _height, words in pages[1:]:
        top = " ".join(w[4] for w in words if w[3] < 14 * 72 / 25.4)
        assert "(forts.)" in top or not top


def test_a_full_a3_of_100_entries_up_to_20000_characters_loses_nothing():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the PDF does not depend on the database: this runs in the SQLite pass")
    meeting, *_ = staffed_meeting(theme="Hemtjänst", days_from_today=-7)
    texts = fill_stress(meeting, entries=100)
    assert len(texts) >= 100 and max(map(len, texts)) >= 20000
    data = render_pdf(meeting)
    assert check_pdf(data, texts, footer_words(meeting), headings=headings_of(meeting)) == []


def test_the_check_finds_cut_text_and_text_over_the_footer():
    """The checker itself: a PDF made to cut and overflow is caught."""
    from weasyprint import HTML

    html = (
        "<style>@page { size: A3 landscape; margin: 14mm 12mm 15mm }"
        "p.low { position: absolute; bottom: -11mm; margin: 0 }</style>"
        "<p>Det här står där det ska</p><p class=low>Det här står över sidfoten</p>"
    )
    data = HTML(string=html).write_pdf()
    problems = check_pdf(data, ["Det här står där det ska", "Saknas helt"], set())
    assert any("1 of 2 texts missing" in p for p in problems), problems
    assert any("over the footer" in p for p in problems), problems
    footer = {"Det", "här", "står", "över", "sidfoten"}
    ok = check_pdf(data, ["Det här står där det ska"], footer)
    assert ok == []


def test_boxes_sit_as_on_paper_one_above_two_left_three_above_four_right():
    meeting, *_ = staffed_meeting()
    step = meeting.template_version.steps.get(key="2B")
    Entry.objects.create(meeting=meeting, step=step, text="Sjukfrånvaron har minskat")
    pages = pdf_words(render_pdf(meeting))
    assert len(pages) == 1  # the paper form
    (width, _height, words) = pages[0]
    titles = {}
    for word in words:
        if word[4] in ("Start", "Dåtid", "Nutid", "Framtid") and word[4] not in titles:
            titles[word[4]] = word
    start, past, present, future = (titles[k] for k in ("Start", "Dåtid", "Nutid", "Framtid"))
    middle = width / 2
    assert start[2] < middle and past[2] < middle
    assert present[0] > middle and future[0] > middle
    assert start[1] < past[1] and present[1] < future[1]


def test_emoji_are_drawn_with_an_emoji_font_not_as_boxes():
    meeting, *_ = staffed_meeting(theme="Fritid 🎉")
    data = render_pdf(meeting)
    with io.BytesIO(data) as stream:
        text = "".join(page.extract_text() for page in PdfReader(stream).pages)
    assert "Fritid 🎉" in text
    fonts = subprocess.run(
        ["pdffonts", "-"], input=data, capture_output=True, check=False
    ).stdout.decode()
    if not fonts:  # older poppler reads no stdin
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(data)
            file.flush()
            fonts = subprocess.run(["pdffonts", file.name], capture_output=True, text=True).stdout
    assert "Noto-Color-Emoji" in fonts
    # Digits stay in the text face: the emoji font is only for emoji.
    assert "2026" not in fonts


def test_the_documents_dates_are_the_meetings_not_the_download():
    meeting, *_ = staffed_meeting(status=Meeting.Status.FINISHED, days_from_today=-30)
    finished = timezone.make_aware(datetime.datetime(2026, 10, 1, 11, 52))
    Meeting.objects.filter(pk=meeting.pk).update(finished_at=finished)
    meeting.refresh_from_db()
    metadata = PdfReader(io.BytesIO(render_pdf(meeting))).metadata
    assert metadata.creation_date.date() == datetime.date(2026, 10, 1)
    assert metadata.modification_date.date() == datetime.date(2026, 10, 1)


def test_each_step_shows_its_planned_and_actual_minutes():
    meeting, *_ = staffed_meeting(status=Meeting.Status.FINISHED, days_from_today=-1)
    step = meeting.template_version.steps.get(key="2A")
    session = LiveSession.objects.create(meeting=meeting, current_step=step)
    StepTimer.objects.create(
        session=session,
        step=step,
        started_at=timezone.now() - datetime.timedelta(minutes=30),
        elapsed_before_pause=23 * 60 + 10,
    )
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(meeting))).pages
    )
    assert "planerat 20 min, faktiskt 23 min" in " ".join(text.split())
    assert "(45 min)" in text  # a step that never ran shows its plan only
