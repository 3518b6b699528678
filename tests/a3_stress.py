"""An A3 filled to the brim, for the PDF's "nothing cut, nothing wasted" checks (the suite's
smaller case and bench/pdf.py's full one): entries of up to 20,000 characters in every step,
Swedish with emoji, long unbroken words and a URL.

`check_pdf()` reads the PDF back with poppler (pdftotext -bbox) and says what is wrong.
"""

import datetime
import html
import itertools
import re
import subprocess
import tempfile
from pathlib import Path

from samtal.a3.models import Entry, ParkingLotItem, Wish
from samtal.actions.models import ActionItem
from samtal.conversation_templates.models import Step
from samtal.participants.models import Participation
from tests.factories import add_participant

WORDS = [
    "Brukarna",
    "upplever",
    "större",
    "trygghet",
    "när",
    "samma",
    "personal",
    "kommer",
    "återkommande,",
    "och",
    "väntetiden",
    "för",
    "insatser",
    "har",
    "minskat",
    "märkbart",
    "under",
    "året",
    "i",
    "Matfors,",
    "på",
    "Alnö",
    "och",
    "i",
    "Liden;",
    "nämnden",
    "behöver",
    "förstå",
    "kostnaden",
    "per",
    "timme",
    "bättre",
    "före",
    "nästa",
    "budgetberedning.",
    "Åtgärderna",
    "för",
    "kontinuitet,",
    "kvalitet",
    "och",
    "arbetsmiljö",
    "ger",
    "resultat",
    "😀",
    "för",
    "äldre",
    "👍🏽",
    "och",
    "anhöriga",
    "❤",
    "🎉",
    "Hemtjänstkvalitetsuppföljningsarbetsgruppsmötesprotokollsutkastsgranskningsomgången",
    "https://www.sundsvall.se/kommun-och-politik/styrning-och-uppfoljning/resultat?ar=2026&sida=3#hemtjanst",
    "Öppna",
    "jämförelser",
    "visar",
    "att",
    "Sundsvall",
    "ligger",
    "över",
    "snittet.",
]

# Entry lengths: a mix of short and very long, the longest 20,000 characters.
LENGTHS = [20000, 140, 3200, 60, 11000, 900, 7000, 20, 15000, 400]


def stress_text(length, label):
    """`length` characters (about) of Swedish text with emoji, starting with a unique label."""
    words = itertools.cycle(WORDS)
    parts = [f"{label}:"]
    size = len(parts[0])
    while size < length:
        word = next(words)
        parts.append(word)
        size += len(word) + 1
    text = " ".join(parts)
    # Paragraphs, as typed: a blank line now and then.
    return re.sub(
        r"(\. )(?=[A-ZÅÄÖ])", lambda m: ".\n\n" if hash(m.start()) % 3 == 0 else ". ", text
    )


def fill_stress(meeting, entries=100, scale=1.0):
    """`entries` texts spread over every step (and the notes and parking lot below the form),
    lengths from LENGTHS times `scale`. Returns every text that must be in the PDF."""
    lengths = itertools.cycle(max(10, int(n * scale)) for n in LENGTHS)
    texts = []
    steps = list(meeting.template_version.steps.all())
    facilitator = meeting.participations.filter(role=Participation.Role.FACILITATOR).first()
    for number in range(8):
        add_participant(meeting, f"Deltagare Nummer{number} Åkesson-Öberg 🎉", present=True)
    Participation.objects.filter(meeting=meeting).update(present=True)
    people = list(meeting.participations.all())
    texts += [p.person.name for p in meeting.participations.select_related("person")]
    targets = [s for s in steps if s.record_kind != Step.RecordKind.ATTENDANCE] + [None, "park"]
    for index in range(entries):
        target = targets[index % len(targets)]
        label = f"Post {index + 1:03d}"
        text = stress_text(next(lengths), label)
        if target == "park":
            ParkingLotItem.objects.create(meeting=meeting, text=text, position=index)
            texts.append(text)
        elif target is None or target.record_kind in (Step.RecordKind.LIST,):
            Entry.objects.create(meeting=meeting, step=target, text=text, position=index)
            texts.append(text)
        elif target.record_kind == Step.RecordKind.CLAIMS:
            reason = stress_text(600, f"{label} därför")
            Entry.objects.create(
                meeting=meeting,
                step=target,
                text=text,
                reason=reason,
                participation=people[index % len(people)],
                position=index,
            )
            texts += [text, reason]
        elif target.record_kind == Step.RecordKind.QUESTION_NOTES:
            question = index % max(1, len(target.questions)) if target.questions else None
            Entry.objects.create(
                meeting=meeting, step=target, text=text, question_index=question, position=index
            )
            texts.append(text)
        elif target.record_kind == Step.RecordKind.WISHES:
            reason = stress_text(800, f"{label} därför")
            Wish.objects.create(
                meeting=meeting,
                step=target,
                participation=people[index % len(people)],
                text=text,
                reason=reason,
                agreed_rank=None,
                position=index,
            )
            texts += [text, reason]
        elif target.record_kind == Step.RecordKind.ACTIONS:
            action = ActionItem.objects.create(
                meeting=meeting,
                step=target,
                what=text,
                owner_names="Förvaltningschefen",
                due_date=meeting.date + datetime.timedelta(days=30),
                position=index,
            )
            action.owners.set(people[:1] if facilitator is None else [facilitator])
            texts.append(text)
        else:
            Entry.objects.create(meeting=meeting, step=target, text=text, position=index)
            texts.append(text)
    return texts


def squeeze(text):
    return re.sub(r"\s+", "", text)


MM = 72 / 25.4
BOTTOM_MARGIN = 15 * MM  # @page margin-bottom in a3-pdf.css
TOP_MARGIN = 14 * MM


def pdf_words(data):
    """Per page: (width, height, [(xMin, yMin, xMax, yMax, word)]) from pdftotext -bbox."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a3.pdf"
        path.write_bytes(data)
        out = subprocess.run(
            ["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        words = [
            (float(a), float(b), float(c), float(d), html.unescape(w))
            for a, b, c, d, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                r'yMax="([\d.]+)">(.*?)</word>',
                page.group(3),
            )
        ]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


def pdf_text(data, pages):
    """The body text in reading order: per page the left column, then the right one, with the
    running header and footer (and the sheet's header line) cropped off."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a3.pdf"
        path.write_bytes(data)
        parts = []
        for number, (width, height, words) in enumerate(pages, start=1):
            top = TOP_MARGIN
            header = [w for w in words if w[4] == "Tema:" and w[3] < TOP_MARGIN + 40 * MM]
            if header:
                top = max(w[3] for w in words if abs(w[3] - header[0][3]) < 8) + 1
            for left in (0, width / 2):
                crop = [
                    "-x", str(int(left)), "-y", str(int(top)),
                    "-W", str(int(width / 2)), "-H", str(int(height - top - BOTTOM_MARGIN)),
                ]  # fmt: skip
                parts.append(
                    subprocess.run(
                        ["pdftotext", "-enc", "UTF-8", "-f", str(number), "-l", str(number)]
                        + [*crop, str(path), "-"],
                        capture_output=True,
                        check=True,
                        text=True,
                    ).stdout
                )
        return "".join(parts)


def headings_of(meeting):
    """The texts that head something on the A3: box and step titles, prompts, questions."""
    from samtal.a3.document import build_a3

    found = []
    for box in build_a3(meeting).boxes:
        found.append(str(box.phase_label))
        for content in box.steps:
            found += [f"{content.step.key} {content.step.title}", content.prompt]
            found += list(content.step.questions)
            found += [content.step.entry_label] if content.step.entry_label else []
    return found


def _lines(words):
    """Words grouped into lines (by their bottom edge), top to bottom."""
    lines = []
    for word in sorted(words, key=lambda w: (round(w[3]), w[0])):
        if lines and abs(lines[-1][0] - word[3]) < 3:
            lines[-1][1].append(word)
        else:
            lines.append([word[3], [word]])
    return [" ".join(w[4] for w in sorted(line, key=lambda w: w[0])) for _y, line in lines]


def check_pdf(data, texts, footer_words, *, min_fill=0.6, headings=()):
    """What is wrong with the PDF, as a list of sentences (empty when all is well).

    - every text is in it (whitespace removed: line breaks do not count);
    - nothing but the running footer sits in the bottom margin and nothing but the
      continuation mark in the top margin;
    - every page but the last is filled to at least `min_fill` of its height;
    - no column ends with a heading (one of `headings`), i.e. a heading is never left alone
      at the bottom with what it heads on the next page.
    """
    problems = []
    pages = pdf_words(data)
    extracted = squeeze(pdf_text(data, pages))
    missing = [t for t in texts if squeeze(t) not in extracted]
    if missing:
        problems.append(f"{len(missing)} of {len(texts)} texts missing, e.g. {missing[0][:60]!r}")
    for number, (_width, height, words) in enumerate(pages, start=1):
        body = [w for w in words if w[1] >= TOP_MARGIN - 1 and w[3] <= height - BOTTOM_MARGIN + 1]
        below = [w[4] for w in words if w[3] > height - BOTTOM_MARGIN + 1]
        strays = [w for w in below if w not in footer_words and not re.fullmatch(r"\d+", w)]
        if strays:
            problems.append(f"page {number}: {strays[:5]} printed over the footer")
        squeezed_headings = [squeeze(h) for h in headings if h]
        for side, column in (
            ("left", [w for w in body if w[2] <= _width / 2]),
            ("right", [w for w in body if w[0] >= _width / 2]),
        ):
            last = squeeze(_lines(column)[-1]) if column else ""
            if len(last) > 3 and any(last in heading for heading in squeezed_headings):
                problems.append(f"page {number}: the {side} column ends with a heading")
        if number < len(pages) and "Underlag" not in " ".join(w[4] for w in words[:3]):
            # Both columns of a page that is not the last are filled (the text flows on).
            middle = _width / 2
            for side, column in (
                ("left", [w for w in body if w[2] <= middle]),
                ("right", [w for w in body if w[0] >= middle]),
            ):
                lowest = max((w[3] for w in column), default=0)
                if lowest < TOP_MARGIN + min_fill * (height - TOP_MARGIN - BOTTOM_MARGIN):
                    problems.append(
                        f"page {number}: {side} column nearly empty (ends at {lowest:.0f} pt)"
                    )
    return problems


def footer_words(meeting):
    """The words the running footer may print in the bottom margin."""
    version = meeting.template_version
    footer = (
        f"{version.title} – {meeting.theme} · {meeting.unit.name} · {meeting.date:%Y-%m-%d} · "
        "····· Prickat understruket: Samtals egna rubriker, inte mallens text. Sida av"
    )
    return set(footer.split())
