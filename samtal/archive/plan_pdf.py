"""The handlingsplan as an A4 PDF/A (WeasyPrint, like the A3: samtal/a3/pdf.py)."""

import base64

from django.template.loader import render_to_string
from django.utils import timezone

from samtal.a3.pdf import PDF_VARIANT, STATIC_DIR, pdf_filename, static_only_url_fetcher
from samtal.meetings.uploads import detect_type

LOGO_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


def plan_filename(meeting):
    return pdf_filename(meeting).replace("samtal-", "handlingsplan-", 1)


def logo_data_uri(organisation):
    """The organisation's logo as a data: URI (the PDF fetcher reads nothing else), or ""."""
    logo = organisation.logo
    if not logo:
        return ""
    try:
        with logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        return ""
    if data.lstrip().startswith((b"<svg", b"<?xml")):
        content_type = "image/svg+xml"
    else:
        with logo.open("rb") as handle:
            found = detect_type(handle)
        content_type = found[1] if found else ""
        if content_type not in LOGO_TYPES:
            return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def render_plan_pdf(plan, items):
    from weasyprint import HTML

    meeting = plan.meeting
    organisation = meeting.unit.organisation
    html = render_to_string(
        "archive/plan_pdf.html",
        {
            "plan": plan,
            "meeting": meeting,
            "organisation": organisation,
            "logo": logo_data_uri(organisation),
            "items": items,
            "created": timezone.localtime(),
        },
    )
    document = HTML(
        string=html, base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_url_fetcher()
    ).render()
    return document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
