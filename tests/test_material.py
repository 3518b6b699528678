"""Underlag: uploads checked by content, links, and files served only to the meeting's people."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samtal.meetings.models import Material
from samtal.participants.links import make_token
from tests.factories import add_participant, make_meeting, make_user, staffed_meeting

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def office_file(folder):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def planned(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    return meeting


def upload(client, meeting, name, content, **data):
    fields = {"title": "Rapport", "note": "Läs sidan 2", "url": ""}
    fields.update(data)
    if name:
        fields["file"] = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("meetings:material_add", args=[meeting.pk]), fields)


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("rapport.pdf", PDF, "rapport.pdf"),
        ("bild.png", PNG, "bild.png"),
        ("rapport.docx", office_file("word"), "rapport.docx"),
        ("siffror.xlsx", office_file("xl"), "siffror.xlsx"),
        ("bilder.pptx", office_file("ppt"), "bilder.pptx"),
        ("fel-namn.txt", PDF, "fel-namn.pdf"),
    ],
)
def test_allowed_files_are_recognised_from_their_content(client, planned, name, content, stored_as):
    assert upload(client, planned, name, content).status_code == 302
    material = Material.objects.get()
    assert material.original_name == stored_as
    assert material.size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"#!/bin/sh\necho hej\n"),
        ("arkiv.docx", office_file("annat")),
        ("sida.pdf", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_whatever_its_name(client, planned, name, content):
    response = upload(client, planned, name, content, title="Min rubrik")
    assert response.status_code == 422
    content_text = response.content.decode()
    assert "är inte av en tillåten typ" in content_text
    assert 'value="Min rubrik"' in content_text
    assert not Material.objects.exists()


def test_a_too_large_file_is_refused(client, planned, settings):
    settings.MATERIAL_MAX_UPLOAD_BYTES = 1024
    response = upload(client, planned, "stor.pdf", PDF + b"0" * 2048)
    assert response.status_code == 422
    assert "Filen är för stor" in response.content.decode()


def test_a_link_is_material_too(client, planned):
    upload(client, planned, None, b"", url="https://example.org/rapport")
    assert Material.objects.get().url == "https://example.org/rapport"


def test_material_needs_a_file_or_a_link_but_not_both(client, planned):
    neither = upload(client, planned, None, b"")
    assert "Välj en fil att ladda upp eller ange en länk." in neither.content.decode()
    both = upload(client, planned, "a.pdf", PDF, url="https://example.org/a")
    assert "inte båda" in both.content.decode()
    assert not Material.objects.exists()


def test_a_material_error_is_shown_at_the_material_form(client, planned):
    content = upload(client, planned, None, b"").content.decode()
    action = reverse("meetings:material_add", args=[planned.pk])
    assert f'action="{action}#nytt-underlag"' in content and 'id="nytt-underlag"' in content
    assert 'class="error-summary" role="alert" tabindex="-1"' in content


def test_the_material_form_says_a_file_or_a_link_is_needed_without_marking_either_optional(
    client, planned
):
    content = client.get(reverse("meetings:plan", args=[planned.pk])).content.decode()
    form = content[content.index('id="nytt-underlag"') :]
    form = form[: form.index("</form>")]
    file_and_link = form.split("Välj en fil eller ange en länk.")[1]
    assert "Fil" in file_and_link and "…eller en länk" in file_and_link
    assert "(frivilligt)" not in file_and_link


def test_the_database_refuses_material_with_both_file_and_link(planned):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Material.objects.create(meeting=planned, title="x", file="a.pdf", url="https://e.org")


def test_a_member_downloads_a_file_as_an_attachment_that_is_never_sniffed(client, planned):
    upload(client, planned, "rapport.pdf", PDF)
    material = Material.objects.get()
    response = client.get(reverse("meetings:material", args=[planned.pk, material.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_someone_outside_the_meeting_cannot_download_its_material(client, planned):
    upload(client, planned, "rapport.pdf", PDF)
    material = Material.objects.get()
    client.force_login(make_user("utomstaende"))
    response = client.get(reverse("meetings:material", args=[planned.pk, material.pk]))
    assert response.status_code == 403


def test_a_participant_downloads_through_their_personal_link(client, planned):
    upload(client, planned, "rapport.pdf", PDF)
    material = Material.objects.get()
    client.logout()
    maria = planned.participations.get(person__name="Maria Ek")
    response = client.get(reverse("participants:material", args=[make_token(maria), material.pk]))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_personal_link_does_not_reach_another_meetings_material(client, planned):
    upload(client, planned, "rapport.pdf", PDF)
    material = Material.objects.get()
    client.logout()
    stranger = add_participant(make_meeting("Grundskola"), "Sven")
    response = client.get(
        reverse("participants:material", args=[make_token(stranger), material.pk])
    )
    assert response.status_code == 404


def test_removing_material(client, planned):
    upload(client, planned, "rapport.pdf", PDF)
    material = Material.objects.get()
    client.post(reverse("meetings:material_remove", args=[planned.pk, material.pk]))
    assert not Material.objects.exists()


def test_a_note_taker_cannot_add_material(client):
    meeting, _, note_taker = staffed_meeting()
    client.force_login(note_taker)
    assert upload(client, meeting, "rapport.pdf", PDF).status_code == 403


def test_material_cannot_be_added_once_the_meeting_has_started(client, planned):
    planned.start()
    response = upload(client, planned, "", b"", url="https://example.org/sent")
    assert response.status_code == 302
    assert not Material.objects.exists()


def test_material_cannot_be_removed_once_the_meeting_has_started(client, planned):
    upload(client, planned, "rapport.pdf", PDF)
    planned.start()
    material = Material.objects.get()
    client.post(reverse("meetings:material_remove", args=[planned.pk, material.pk]))
    assert Material.objects.filter(pk=material.pk).exists()


def test_the_material_form_is_only_shown_while_the_meeting_is_planned(client, planned):
    url = reverse("meetings:plan", args=[planned.pk])
    assert "Lägg till underlaget" in client.get(url).content.decode()
    planned.start()
    assert "Lägg till underlaget" not in client.get(url).content.decode()
