"""The A3 as an A3-landscape PDF/A, rendered by WeasyPrint from templates/a3/pdf/a3.html
(the page furniture around the same step partials as the web A3).

The layout follows the paper form: two columns, 1 above 2 on the left and 3 above 4 on the
right, with "Övriga anteckningar vid behov:" and the parking lot below. When the text does
not fit on that one page, the same boxes flow through two columns per page: a box, a list
item or a table row splits between lines, headings stay with what follows them, and every
page that continues a box says so in its top margin ("2. Dåtid (forts.)"). Nothing is cut.

A finished meeting's PDF is rendered once (archive_pdf) and stored through Django's storage
API; later downloads serve the stored bytes.
"""

import functools
import io
import logging
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from samtal.core.hooks import print_extras
from samtal.meetings.uploads import detect_type

from .document import build_a3, empty_a3

PDF_VARIANT = "pdf/a-2b"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
# The emoji fallback face (Debian's fonts-noto-color-emoji), named in static/css/a3-pdf.css.
EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
# Above this many characters of written text the one-page form is not even tried.
FORM_CHAR_BUDGET = 9000

# WeasyPrint logs every rendering step at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_TRANSLITERATE = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "A", "Ä": "A", "Ö": "O"})


def static_only_url_fetcher():
    """A WeasyPrint URL fetcher for our own static files and data: URIs, and nothing else.

    No network, no other files (but the emoji font): a URL typed by a user can never make the
    renderer fetch it (user text is escaped anyway; this is the second lock).
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
    if path == EMOJI_FONT.resolve():
        return path.is_file()
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
            content.actual_minutes = None
    a3.other_notes, a3.parking_lot = [], []
    return a3


def document_dates(meeting):
    """The document's dates are the meeting's: when it finished (or is planned to end), not
    when someone first downloaded it. A template's empty form is dated now."""
    if meeting is None:
        return timezone.localtime()
    return timezone.localtime(meeting.finished_at or meeting.ends_at)


def _context(a3, *, layout, blank, preparation):
    meeting = a3.meeting
    organisation = a3.organisation
    version = a3.version
    phases = [
        {"box": box, "minutes": sum(content.step.minutes for content in box.steps)}
        for box in a3.boxes
    ]
    # As on paper: the first half of the boxes in the left column (1 above 2), the rest in
    # the right column (3 above 4).
    half = (len(a3.boxes) + 1) // 2
    steps_per_column = max(
        (sum(len(box.steps) for box in column) for column in (a3.boxes[:half], a3.boxes[half:])),
        default=0,
    )
    roomy = 2 if steps_per_column <= 2 else 1
    for box in a3.boxes:
        box.continued = f"{box.number}. {box.phase_label} ({_('forts.')})"
    context = {
        "a3": a3,
        "columns": [a3.boxes[:half], a3.boxes[half:]],
        "meeting": meeting,
        "organisation": organisation,
        "logo": logo_data_uri(organisation),
        "version": version,
        "outline": version.outline_for(organisation) if version else [],
        "layout": layout,
        "blank": blank,
        # The step partials shared with the web A3 (a3/_step.html) read these two.
        "for_print": True,
        "step_heading": 3,
        "preparation": preparation,
        "perspectives": None,
        "phases": phases,
        "total_minutes": sum(p["minutes"] for p in phases),
        "created": document_dates(meeting),
        # Room to write by hand on the empty form: a template with few steps gets more lines
        # per step (its one page has the room).
        "blank_rows": range(4),
        "blank_lines": range(2 if roomy < 2 else 3),
        "blank_actions": range(3 if roomy < 2 else 5),
        "blank_wishes": range(5),
        "blank_claims": range(6),
        "blank_two": range(3 if roomy < 2 else 5),
    }
    if meeting is not None:
        # The four-perspective chart, from the evaluations (a layer above), when there is one.
        context.update(print_extras(meeting, blank=blank))
    return context


LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def logo_type(data):
    """The logo's content type by its content (an SVG, or a picture format WeasyPrint
    draws), or None."""
    if data.lstrip().startswith((b"<svg", b"<?xml")):
        return "image/svg+xml"
    found = detect_type(io.BytesIO(data))
    return found[1] if found and found[1] in LOGO_TYPES else None


def logo_data_uri(organisation):
    """The organisation's logo as a data: URI (the PDF's URL fetcher reads nothing else from
    storage), or "" when there is none or it cannot be read. Used by the A3 and the
    handlingsplan."""
    import base64

    if organisation is None or not organisation.logo:
        return ""
    try:
        with organisation.logo.open("rb") as file:
            data = file.read()
    except OSError:
        return ""
    kind = logo_type(data)
    if kind is None:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _render_document(context):
    from weasyprint import HTML

    html = render_to_string("a3/pdf/a3.html", context)
    return HTML(
        string=html,
        base_url=STATIC_DIR.as_uri() + "/",
        url_fetcher=static_only_url_fetcher(),
    ).render()


def _form_fits(document, context):
    """True if the whole A3 fits on one page laid out as the paper form."""
    pages = document.pages[1:] if context["preparation"] else document.pages
    return len(pages) == 1


def render_a3_pdf(a3, *, blank=False, preparation=False):
    """An A3 (from build_a3 or empty_a3) as PDF bytes (PDF/A-2b).

    The paper form (two columns of boxes on one page) when everything fits on one page;
    otherwise the same boxes flow through two columns per page over as many pages as the
    text needs, every line kept.
    """
    if blank:
        a3 = _emptied(a3)
    document = None
    if blank or _written_characters(a3) <= FORM_CHAR_BUDGET:
        context = _context(a3, layout="form", blank=blank, preparation=preparation)
        document = _render_document(context)
        if not blank and not _form_fits(document, context):
            document = None
    if document is None:
        document = _render_document(
            _context(a3, layout="flow", blank=blank, preparation=preparation)
        )
    # Tagged: a screen reader can follow headings, lists and tables (accessible documents
    # are required of the public sector as much as web pages are).
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)


def render_pdf(meeting, *, blank=False, preparation=False):
    """The meeting's A3 as PDF bytes (PDF/A-2b)."""
    return render_a3_pdf(build_a3(meeting), blank=blank, preparation=preparation)


def render_template_pdf(version, organisation=None, *, preparation=False, steps=None):
    """A template version's empty form, without a meeting (printable per template)."""
    a3 = empty_a3(version, organisation, steps=steps)
    return render_a3_pdf(a3, blank=True, preparation=preparation)


def template_pdf_filename(version):
    text = unicodedata.normalize("NFC", version.template.name).translate(_TRANSLITERATE)
    return f"mall-{slugify(text) or 'x'}-version-{version.number}-blankett.pdf"
