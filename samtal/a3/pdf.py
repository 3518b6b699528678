"""The A3 as an A3-landscape PDF/A, rendered by WeasyPrint from templates/a3/pdf/a3.html
(the page furniture around the same step partials as the web A3).

The layout follows the paper form: the four boxes in two rows of two, with Övriga
anteckningar, the parking lot and how the result is communicated below. A row that does not
fit continues on the next page. When the text would need more than a page per row, the boxes
are laid out one after the other at full width instead. Every page that continues a box says
so in its top margin ("2. Dåtid (forts.)"), so nothing is ever cut off.

A finished meeting's PDF is rendered once (archive_pdf) and stored through Django's storage
API; later downloads serve the stored bytes.
"""

import functools
import logging
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samtal.conversation_templates.models import Step
from samtal.core.hooks import print_extras

from .document import build_a3

PDF_VARIANT = "pdf/a-2b"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
# Above this many characters of written text the 2×2 page is not even tried.
GRID_CHAR_BUDGET = 9000

# WeasyPrint logs every rendering step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_TRANSLITERATE = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O"})


def static_only_url_fetcher():
    """A WeasyPrint URL fetcher for our own static files and data: URIs, and nothing else.

    No network, no other files: a URL typed by a user can never make the renderer fetch it
    (user text is escaped anyway; this is the second lock).
    """
    return _fetcher_class()(timeout=2, allowed_protocols={"data", "file"}, allow_redirects=False)


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher  # imported late: WeasyPrint is slow to import

    class StaticOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not is_allowed_url(url):
                raise ValueError(f"Refused to fetch {url[:80]!r}")
            return super().fetch(url, headers)

    return StaticOnlyURLFetcher


def is_allowed_url(url):
    scheme = url.split(":", 1)[0].lower()
    if scheme == "data":
        return True
    if scheme != "file":
        return False
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return path.is_relative_to(STATIC_DIR.resolve()) and path.is_file()


def pdf_filename(meeting, blank=False):
    """samtal-<unit>-<theme>-<date>.pdf, ASCII only."""

    def part(text):
        text = unicodedata.normalize("NFC", str(text)).translate(_TRANSLITERATE)
        return slugify(text) or "x"

    name = f"samtal-{part(meeting.unit.name)}-{part(meeting.theme)}-{meeting.date:%Y-%m-%d}"
    return f"{name}-blankett.pdf" if blank else f"{name}.pdf"


def _written_characters(a3):
    total = sum(len(e.text) + len(e.reason) for e in a3.other_notes)
    total += sum(len(item.text) for item in a3.parking_lot)
    for box in a3.boxes:
        for content in box.steps:
            total += sum(len(e.text) + len(e.reason) for e in content.entries)
            total += sum(len(w.text) + len(w.reason) for w in content.wishes)
            total += sum(len(a.what) + 40 for a in content.actions)
            total += sum(len(e.text) for _, notes in content.questions for e in notes)
            total += 40 * len(content.attendees)
    return total


def _emptied(a3):
    """The same A3 with nothing written in it: for the empty form."""
    for box in a3.boxes:
        for content in box.steps:
            content.entries, content.wishes, content.agreed_wishes = [], [], []
            content.actions, content.attendees = [], []
            content.questions = [(question, []) for question, _notes in content.questions]
    a3.other_notes, a3.parking_lot = [], []
    return a3


def _context(a3, *, layout, blank, preparation):
    meeting = a3.meeting
    organisation = meeting.unit.organisation
    version = meeting.template_version
    communication = []
    for box in a3.boxes:
        for content in box.steps:
            if content.step.record_kind == Step.RecordKind.ACTIONS and content.questions:
                communication.extend(content.questions)
    phases = []
    for box in a3.boxes:
        phases.append(
            {
                "box": box,
                "minutes": sum(content.step.minutes for content in box.steps),
            }
        )
    per_row = 2 if layout == "grid" else 1
    rows = []
    for index in range(0, len(a3.boxes), per_row):
        boxes = a3.boxes[index : index + per_row]
        names = " · ".join(f"{box.number}. {box.phase_label}" for box in boxes)
        rows.append({"boxes": boxes, "continued": f"{names} ({_('forts.')})"})
    context = {
        "a3": a3,
        "rows": rows,
        "meeting": meeting,
        "organisation": organisation,
        "logo": logo_data_uri(organisation),
        "version": version,
        "layout": layout,
        "blank": blank,
        # The step partials shared with the web A3 (a3/_step.html) read these two.
        "for_print": True,
        "step_heading": 3,
        "preparation": preparation,
        "communication": communication,
        "perspectives": None,
        "phases": phases,
        "total_minutes": sum(p["minutes"] for p in phases),
        "created": timezone.localtime(),
        "blank_rows": range(6),
        "blank_lines": range(3),
        "blank_claims": range(5),
        "blank_two": range(2),
    }
    # The four-perspective chart, from the evaluations (a layer above), when there is one.
    context.update(print_extras(meeting, blank=blank))
    return context


def logo_data_uri(organisation):
    """The organisation's logo as a data: URI (the PDF's URL fetcher reads nothing else from
    storage), or "" when there is none or it cannot be read."""
    import base64

    if not organisation.logo:
        return ""
    name = organisation.logo.name.lower()
    kind = "image/png" if name.endswith(".png") else "image/jpeg"
    try:
        with organisation.logo.open("rb") as file:
            data = file.read()
    except OSError:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def _render_document(context):
    from weasyprint import HTML

    html = render_to_string("a3/pdf/a3.html", context)
    return HTML(
        string=html,
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=static_only_url_fetcher(),
    ).render()


def _grid_fits(document, context):
    """True if the 2×2 layout reads well: at most one page per row of boxes.

    Beyond that, half-width boxes running over several pages read worse than full-width ones.
    """
    pages = document.pages[1:] if context["preparation"] else document.pages
    if not pages or len(pages) > len(context["rows"]):
        return False
    last = pages[-1]
    return "a3-slut" in last.anchors and last.anchors["a3-slut"][1] <= last.height


def render_pdf(meeting, *, blank=False, preparation=False):
    """The meeting's A3 as PDF bytes (PDF/A-2b)."""
    a3 = build_a3(meeting)
    if blank:
        a3 = _emptied(a3)
    document = None
    if blank or _written_characters(a3) <= GRID_CHAR_BUDGET:
        context = _context(a3, layout="grid", blank=blank, preparation=preparation)
        document = _render_document(context)
        if not blank and not _grid_fits(document, context):
            document = None
    if document is None:
        document = _render_document(
            _context(a3, layout="flow", blank=blank, preparation=preparation)
        )
    # Tagged: a screen reader can follow headings, lists and tables (accessible documents
    # are required of the public sector as much as web pages are).
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
