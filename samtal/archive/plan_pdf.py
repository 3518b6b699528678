"""The handlingsplan as an A4 PDF/A (WeasyPrint, like the A3: samtal/a3/pdf.py)."""

from django.template.loader import render_to_string
from django.utils import timezone

from samtal.a3.pdf import (
    PDF_VARIANT,
    STATIC_DIR,
    logo_data_uri,
    pdf_filename,
    static_only_url_fetcher,
)


def plan_filename(meeting):
    return pdf_filename(meeting).replace("samtal-", "handlingsplan-", 1)


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
