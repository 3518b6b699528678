"""Missing or damaged archived PDFs and full or unwritable disks: never a 500, nothing typed
lost, everything flagged."""

import errno
import hashlib
import io
import logging
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from samtal.archive.models import ArchivedA3
from samtal.archive.pdfs import archive_pdf
from samtal.meetings.models import Material, Meeting
from tests.factories import make_meeting, staffed_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def finished():
    meeting, facilitator, _ = staffed_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.FINISHED)
    meeting.refresh_from_db()
    return meeting, facilitator


def disk_error(code):
    error = PermissionError if code == errno.EACCES else OSError
    return mock.patch.object(
        FileSystemStorage, "_save", side_effect=error(code, "simulated disk error")
    )


# Archived PDFs ---------------------------------------------------------------------------------


def test_a_missing_archived_pdf_is_rendered_again_and_flagged(client, caplog):
    meeting, facilitator = finished()
    archived = archive_pdf(meeting)
    default_storage.delete(archived.file.name)
    client.force_login(facilitator)
    with caplog.at_level(logging.WARNING, logger="samtal.archive"):
        response = client.get(reverse("meetings:a3_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "Hemtjänst" in PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    archived.refresh_from_db()
    assert archived.rerendered_at is not None and archived.rerender_reason == "filen saknades"
    assert archived.sha256 == hashlib.sha256(archived.read()).hexdigest()
    assert "rendered again from the locked A3" in caplog.text


def test_a_missing_pdf_on_a_full_disk_is_still_downloaded(client):
    meeting, facilitator = finished()
    archived = archive_pdf(meeting)
    default_storage.delete(archived.file.name)
    client.force_login(facilitator)
    with disk_error(errno.ENOSPC):
        response = client.get(reverse("meetings:a3_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_first_download_on_an_unwritable_disk_is_still_served(client):
    meeting, facilitator = finished()
    client.force_login(facilitator)
    with disk_error(errno.EACCES):
        response = client.get(reverse("meetings:a3_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not ArchivedA3.objects.exists()


def test_verify_archived_pdfs_re_renders_missing_and_reports_damaged_files():
    first, _ = finished()
    second = make_meeting(theme="Grundskola", status=Meeting.Status.FINISHED, days_from_today=-3)
    missing, damaged = archive_pdf(first), archive_pdf(second)
    default_storage.delete(missing.file.name)
    with default_storage.open(damaged.file.name, "wb") as handle:
        handle.write(b"%PDF-1.7 changed")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 arkiverade PDF:er stämmer inte"):
        call_command("verify_archived_pdfs", stdout=out)
    assert "filen saknas – skapad på nytt" in out.getvalue()
    assert "kontrollsumman stämmer inte" in out.getvalue()
    missing.refresh_from_db()
    assert missing.problem() is None and missing.rerendered_at is not None

    out = io.StringIO()
    call_command("verify_archived_pdfs", "--aterskapa", stdout=out)
    damaged.refresh_from_db()
    assert damaged.problem() is None and damaged.rerender_reason == "kontrollsumman stämmer inte"
    call_command("verify_archived_pdfs", stdout=io.StringIO())  # all in order now


# Uploads --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code, status, words",
    [
        (errno.ENOSPC, 507, "lagringsutrymmet på servern är fullt"),
        (errno.EACCES, 503, "servern får inte skriva i mappen"),
        (errno.EIO, 503, "fel i serverns lagring"),
    ],
)
def test_an_upload_that_fails_on_disk_keeps_the_form_and_says_why(client, code, status, words):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    with disk_error(code):
        response = client.post(
            reverse("meetings:material_add", args=[meeting.pk]),
            {
                "title": "Kvalitetsrapport 2026",
                "note": "Läs avsnitt 3 om väntetider",
                "url": "",
                "file": SimpleUploadedFile("rapport.pdf", PDF),
            },
        )
    assert response.status_code == status
    assert words in response.text and "Det du skrev finns kvar" in response.text
    assert 'value="Kvalitetsrapport 2026"' in response.text
    assert "Läs avsnitt 3 om väntetider" in response.text
    assert not Material.objects.exists()
