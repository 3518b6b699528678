"""Issue 19: handlingsplan and återrapportering (seed 003)."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from samtal.actions.models import ActionPlan, FollowUp, ReportBack
from samtal.participants.models import Participation
from tests.archive_helpers import action, finished_meeting
from tests.factories import add_participant, make_meeting, make_reviewer, make_user

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def meeting():
    meeting = finished_meeting("Hemtjänst", days_ago=21)
    karin = make_user("karin", first_name="Karin", last_name="Lindqvist")
    add_participant(meeting, "Karin Lindqvist", Participation.Role.FACILITATOR, user=karin)
    owner = add_participant(meeting, "Lars Öberg")
    action(meeting, "Analysera fallrapporterna", due_in_days=14, owners=[owner])
    action(meeting, "Struken åtgärd", status="struken")
    return meeting


def facilitator(meeting):
    return meeting.participations.get(role=Participation.Role.FACILITATOR).person.user


def plan_url(meeting):
    return reverse("archive:plan", args=[meeting.pk])


def issue(client, meeting, report_by=None, **extra):
    item = meeting.action_items.exclude(status="struken").get()
    data = {f"rapport_{item.pk}": (report_by or timezone.localdate()).isoformat(), **extra}
    return client.post(plan_url(meeting), data)


def test_the_facilitator_issues_the_handlingsplan_with_report_dates(client, meeting):
    client.force_login(facilitator(meeting))
    page = client.get(plan_url(meeting)).text
    assert "Analysera fallrapporterna" in page and "Struken åtgärd" not in page
    when = timezone.localdate() + datetime.timedelta(days=30)
    response = issue(client, meeting, when, note="Följs upp i nämnden i mars.")
    assert response.status_code == 302
    plan = ActionPlan.objects.get(meeting=meeting)
    assert plan.issued_by == facilitator(meeting) and plan.note == "Följs upp i nämnden i mars."
    assert meeting.action_items.get(what="Analysera fallrapporterna").report_by == when
    page = client.get(plan_url(meeting)).text
    assert "Utfärdad" in page and reverse("archive:plan_pdf", args=[meeting.pk]) in page


def test_a_report_date_before_the_meeting_is_refused_and_nothing_is_issued(client, meeting):
    client.force_login(facilitator(meeting))
    response = issue(client, meeting, meeting.date - datetime.timedelta(days=1), note="Kvar")
    assert response.status_code == 400
    assert "Återrapporteringen kan inte ligga före samtalet." in response.text
    assert "Kvar" in response.text
    assert not ActionPlan.objects.exists()


def test_kommunledning_may_issue_and_a_participant_may_only_read(client, meeting):
    client.force_login(make_reviewer())
    assert issue(client, meeting).status_code == 302
    participant = make_user("maria")
    add_participant(meeting, "Maria Ek", user=participant)
    client.force_login(participant)
    assert client.get(plan_url(meeting)).status_code == 200
    assert issue(client, meeting).status_code == 403


def test_there_is_no_handlingsplan_before_the_meeting_is_finished(client):
    planned = make_meeting()
    client.force_login(make_reviewer())
    assert client.get(plan_url(planned)).status_code in (403, 404)


def test_the_pdf_is_an_a4_pdf_a_with_the_uppdrag(client, meeting):
    client.force_login(facilitator(meeting))
    assert client.get(reverse("archive:plan_pdf", args=[meeting.pk])).status_code == 404
    issue(client, meeting)
    response = client.get(reverse("archive:plan_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842  # A4
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Handlingsplan" in text and "Analysera fallrapporterna" in text
    assert "Lars Öberg" in text
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*2", xmp)  # PDF/A-2b, like the archived A3
    assert re.search(r"pdfaid:conformance[^A-Z]*B", xmp)


def test_the_pdf_carries_the_organisations_logo(client, meeting):
    organisation = meeting.unit.organisation
    png = (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
        b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x03\x00\x08\xfc\x02\xfe"
        b"\xa7\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
    )
    organisation.logo.save("logo.png", SimpleUploadedFile("logo.png", png))
    client.force_login(facilitator(meeting))
    issue(client, meeting)
    data = client.get(reverse("archive:plan_pdf", args=[meeting.pk])).content
    reader = PdfReader(io.BytesIO(data))
    assert list(reader.pages[0].images), "the logo is drawn on the first page"


# Reports with attachments ------------------------------------------------------------------


def test_an_owner_reports_with_an_attachment_and_it_can_be_downloaded(client, meeting):
    item = meeting.action_items.get(what="Analysera fallrapporterna")
    client.force_login(make_reviewer())
    response = client.post(
        reverse("actions:detail", args=[item.pk]),
        {
            "reported_on": timezone.localdate().isoformat(),
            "text": "Analysen är klar",
            "status": "klar",
            "attachment": SimpleUploadedFile("analys.pdf", PDF_BYTES, "application/pdf"),
        },
    )
    assert response.status_code == 302
    report = FollowUp.objects.get()
    assert report.attachment_name == "analys.pdf" and report.attachment_type == "application/pdf"
    download = client.get(reverse("actions:attachment", args=[item.pk, report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    client.force_login(make_user("utomstaende"))
    assert client.get(reverse("actions:attachment", args=[item.pk, report.pk])).status_code == 403


def test_an_attachment_that_is_not_a_document_is_refused_and_the_text_kept(client, meeting):
    item = meeting.action_items.get(what="Analysera fallrapporterna")
    client.force_login(make_reviewer())
    response = client.post(
        reverse("actions:detail", args=[item.pk]),
        {
            "reported_on": timezone.localdate().isoformat(),
            "text": "Se bifogad fil",
            "status": "pagar",
            "attachment": SimpleUploadedFile(
                "virus.pdf", b"MZ\x90\x00not a pdf", "application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    assert "Filen kan inte bifogas" in response.text and "Se bifogad fil" in response.text
    assert not FollowUp.objects.exists()


# Återrapportering --------------------------------------------------------------------------


def test_reports_are_gathered_noted_by_kommunledning_and_open_the_next_meeting(client, meeting):
    item = meeting.action_items.get(what="Analysera fallrapporterna")
    item.report("Påbörjad", "pagar", reporter=item.owners.get().person)
    item.report("Klar, redovisad i ledningsgruppen", "klar", reporter=item.owners.get().person)
    client.force_login(facilitator(meeting))
    unit_url = reverse("archive:report_backs", args=[meeting.unit_id])
    assert "2 återrapporter är inte sammanställda" in client.get(unit_url).text
    response = client.post(unit_url)
    report_back = ReportBack.objects.get()
    assert response.url == reverse("archive:report_back", args=[report_back.pk])
    assert report_back.follow_ups.count() == 2
    assert "Det finns inga nya" in client.post(unit_url, follow=True).text
    page = client.get(response.url).text
    assert "Påbörjad" in page and "Lars Öberg" in page and "Inte antecknad ännu" in page
    assert client.post(response.url, {"noted_on": timezone.localdate()}).status_code == 403

    reviewer = make_reviewer()
    client.force_login(reviewer)
    future = timezone.localdate() + datetime.timedelta(days=1)
    refused = client.post(response.url, {"noted_on": future.isoformat()})
    assert refused.status_code == 400 and "framtiden" in refused.text
    assert client.post(response.url, {"noted_on": timezone.localdate()}).status_code == 302
    report_back.refresh_from_db()
    assert report_back.noted_on == timezone.localdate() and report_back.noted_by == reviewer

    next_meeting = make_meeting(unit=meeting.unit, days_from_today=14)
    add_participant(
        next_meeting, "Karin Lindqvist", Participation.Role.FACILITATOR, user=facilitator(meeting)
    )
    client.force_login(facilitator(meeting))
    detail = client.get(reverse("meetings:detail", args=[next_meeting.pk])).text
    assert "Återrapportering sedan förra samtalet" in detail
    assert reverse("archive:report_back", args=[report_back.pk]) in detail
    assert "Antecknad av kommunledningen" in detail


def test_others_cannot_read_a_units_report_backs(client, meeting):
    client.force_login(make_user("utomstaende"))
    assert client.get(reverse("archive:report_backs", args=[meeting.unit_id])).status_code == 403


# The board ---------------------------------------------------------------------------------


def test_the_board_shows_every_report_with_author_and_date(client, meeting):
    item = meeting.action_items.get(what="Analysera fallrapporterna")
    owner = item.owners.get().person
    item.report("Första rapporten", "pagar", reporter=owner)
    item.report("Andra rapporten", "pagar", reporter=owner)
    client.force_login(make_reviewer())
    page = client.get(reverse("actions:board")).text
    assert "Första rapporten" in page and "Andra rapporten" in page
    assert page.count("Lars Öberg") >= 3  # owner, and author of both reports


def test_the_board_filters_by_due_period(client, meeting):
    action(meeting, "Långt fram", due_in_days=200)
    action(meeting, "Utan datum", due_in_days=None)
    client.force_login(make_reviewer())
    board = reverse("actions:board")
    soon = client.get(board, {"period": "manad"}).text
    assert "Analysera fallrapporterna" in soon and "Långt fram" not in soon
    assert "Långt fram" in client.get(board, {"period": "senare"}).text
    undated = client.get(board, {"period": "utan"}).text
    assert "Utan datum" in undated and "Analysera fallrapporterna" not in undated
