"""The A3 as a printable, archivable PDF (issue 5)."""

import hashlib
import http.server
import io
import re
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from samtal.a3.models import Entry, ParkingLotItem
from samtal.a3.pdf import (
    is_allowed_url,
    pdf_filename,
    render_pdf,
    static_only_url_fetcher,
)
from samtal.archive.models import ArchivedA3
from samtal.archive.pdfs import archive_pdf
from samtal.conversation_templates.models import Step
from samtal.meetings.models import Meeting
from samtal.participants.links import make_token
from tests.a3_fill import fill_a3
from tests.a3_stress import pdf_text, pdf_words
from tests.factories import add_participant, make_meeting, make_reviewer, make_user, staffed_meeting

pytestmark = pytest.mark.django_db

A3_LANDSCAPE = (1190.55, 841.89)


def read(data):
    return PdfReader(io.BytesIO(data))


def text_of(data):
    return "".join(page.extract_text() for page in read(data).pages)


def spaced(text):
    return re.sub(r"\s+", " ", text)


def squeeze(text):
    """Whitespace removed: line breaks in the PDF do not count."""
    return re.sub(r"\s+", "", text)


def finished_meeting(**kwargs):
    meeting, facilitator, note_taker = staffed_meeting(
        status=Meeting.Status.FINISHED, days_from_today=-3, **kwargs
    )
    return meeting, facilitator, note_taker


def entry_in(meeting, kind, text, **fields):
    step = meeting.template_version.steps.get(record_kind=kind)
    return Entry.objects.create(meeting=meeting, step=step, text=text, **fields)


# The document


def test_every_page_is_a3_landscape():
    meeting, *_ = staffed_meeting()
    fill_a3(meeting, claims=30, claim_chars=400)
    pdf = read(render_pdf(meeting))
    assert len(pdf.pages) > 1
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 2), round(height, 2)) == A3_LANDSCAPE


def test_the_metadata_has_title_author_subject_and_creation_date():
    meeting, *_ = staffed_meeting(theme="Hemtjänst på Alnö")
    metadata = read(render_pdf(meeting)).metadata
    assert metadata.title == "Samtalsmall – Hemtjänst på Alnö"
    assert metadata.author == "Sundsvalls kommun"
    assert metadata.subject == "Hemtjänst på Alnö"
    assert metadata.creation_date is not None


def test_the_pdf_declares_pdf_a_2b_and_embeds_every_font():
    meeting, *_ = staffed_meeting()
    fill_a3(meeting)
    data = render_pdf(meeting)
    xmp = read(data).xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*2", raw)
    assert re.search(r"pdfaid:conformance[^A-Z]*B", raw)
    fonts = []
    for page in read(data).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            fonts.append(descriptor.get_object())
    assert fonts
    assert all({"/FontFile", "/FontFile2", "/FontFile3"} & set(font) for font in fonts)


def test_swedish_characters_come_out_right():
    meeting, *_ = staffed_meeting(theme="Äldreomsorg i Östersund")
    entry_in(meeting, Step.RecordKind.LIST, "Året då väntetiderna för ÅÄÖ-brukare halverades")
    text = text_of(render_pdf(meeting))
    assert "Äldreomsorg i Östersund" in text
    assert "Året då väntetiderna för ÅÄÖ-brukare halverades" in text


def test_the_page_shows_header_boxes_prompts_attendees_wishes_and_actions():
    meeting, *_ = staffed_meeting(theme="Hemtjänst")
    fill_a3(meeting)
    text = spaced(text_of(render_pdf(meeting)))
    for expected in [
        "Samtalsmall",
        "Tema:",
        "Hemtjänst",
        "1 Start",
        "2 Dåtid",
        "3 Nutid",
        "4 Framtid",
        "Bakgrund, beskrivning av nuläge",
        "(20 min)",
        "Vilka resultat visar på nytta för Sundsvallsbon",
        "Det här visar på nytta",
        "därför att:",
        "Karin Lindqvist",
        "samtalsledare",
        "Överenskomna önskningar",
        "Överenskommen nr 1",
        "Vad",
        "Vem/vilka",
        "När",
        "Övriga anteckningar",
        "Parkeringsficka",
    ]:
        assert expected in text, expected


def test_agreed_wishes_are_listed_in_their_agreed_order():
    meeting, *_ = staffed_meeting()
    fill_a3(meeting)
    wishes = meeting.wishes.order_by("position")
    # Agree them in reverse: the third written becomes number one.
    for wish, rank in zip(wishes, [13, 12, 11], strict=False):
        wish.agreed_rank = rank
        wish.save()
    for wish, rank in zip(wishes, [3, 2, 1], strict=False):
        wish.agreed_rank = rank
        wish.save()
    text = squeeze(text_of(render_pdf(meeting)))
    agreed = text[text.index(squeeze("Överenskomna önskningar")) :]
    first, second, third = (agreed.index(squeeze(f"Önskan {n}:")) for n in (3, 2, 1))
    assert first < second < third


def test_every_character_of_a_heavily_filled_a3_is_in_the_pdf():
    meeting, *_ = staffed_meeting()
    texts = fill_a3(meeting, claims=40, claim_chars=500, reason_chars=200)
    data = render_pdf(meeting)
    # Read column by column (two columns per page when the text flows over pages).
    extracted = squeeze(pdf_text(data, pdf_words(data)))
    missing = [text[:40] for text in texts if squeeze(text) not in extracted]
    assert not missing, f"{len(missing)} texts missing, e.g. {missing[:3]}"
    assert len(read(data).pages) >= 4


def test_a_box_that_runs_over_a_page_is_marked_as_continued():
    meeting, *_ = staffed_meeting()
    fill_a3(meeting, claims=40, claim_chars=500, reason_chars=200)
    pages = read(render_pdf(meeting)).pages
    assert "(forts.)" not in pages[0].extract_text()
    assert "2. Dåtid (forts.)" in pages[1].extract_text()


def test_text_typed_as_html_shows_as_text():
    meeting, *_ = staffed_meeting()
    entry_in(meeting, Step.RecordKind.LIST, "<b>fet</b> & <i>kursiv</i> <script>x()</script>")
    text = text_of(render_pdf(meeting))
    assert "<b>fet</b> & <i>kursiv</i> <script>x()</script>" in text


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests = []

    def do_GET(self):
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def web_server():
    RecordingHandler.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_user_text_cannot_make_the_renderer_fetch_anything(web_server):
    port = web_server.server_address[1]
    hostile = [
        f'<img src="http://127.0.0.1:{port}/img">',
        '<link rel="stylesheet" href="file:///etc/passwd">',
        f"<style>body {{ background: url(http://127.0.0.1:{port}/css) }}</style>",
        f'<div style="background:url(http://127.0.0.1:{port}/inline)">x</div>',
    ]
    meeting, *_ = staffed_meeting()
    for text in hostile:
        entry_in(meeting, Step.RecordKind.LIST, text)
    ParkingLotItem.objects.create(meeting=meeting, text="url(file:///etc/passwd)")
    text = text_of(render_pdf(meeting))
    assert web_server and RecordingHandler.requests == []
    for hostile_text in hostile:
        assert squeeze(hostile_text) in squeeze(text)
    assert "root:x:0:0" not in text


def test_the_fetcher_refuses_network_and_files_outside_static(web_server):
    from weasyprint import HTML

    port = web_server.server_address[1]
    html = (
        f'<img src="http://127.0.0.1:{port}/direct">'
        '<img src="file:///etc/passwd">'
        f"<p style=\"background:url('http://127.0.0.1:{port}/bg')\">x</p>"
    )
    HTML(string=html, url_fetcher=static_only_url_fetcher()).write_pdf()
    assert RecordingHandler.requests == []


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("data:image/png;base64,iVBORw0KGgo=", True),
        (Path("static/css/a3-pdf.css").resolve().as_uri(), True),
        ("http://127.0.0.1:9/x", False),
        ("https://example.org/font.woff", False),
        ("ftp://example.org/x", False),
        ("file:///etc/passwd", False),
        (Path("static/../samtal/settings.py").resolve().as_uri(), False),
        ("file://" + str(Path("static").resolve()) + "/../samtal/settings.py", False),
        ("file://evil.example/" + str(Path("static/css/a3-pdf.css").resolve()), False),
    ],
)
def test_only_our_static_files_and_data_uris_may_be_fetched(url, allowed):
    assert is_allowed_url(url) is allowed


def test_the_file_name_is_ascii_with_unit_theme_and_date():
    meeting, *_ = staffed_meeting(theme="Hemtjänst på Ön/Åre")
    name = pdf_filename(meeting)
    assert name == f"samtal-vard-och-omsorgsnamnden-hemtjanst-pa-onare-{meeting.date:%Y-%m-%d}.pdf"
    assert name.isascii()


# The empty form and the preparation page


def test_the_empty_form_has_the_header_and_empty_boxes_on_one_page():
    meeting, *_ = staffed_meeting(theme="Grundskola")
    fill_a3(meeting)
    data = render_pdf(meeting, blank=True)
    text = text_of(data)
    assert len(read(data).pages) == 1
    assert "Grundskola" in text
    assert "Reflektion och analys av läget" in text
    assert "Påstående 1" not in text
    assert "Karin Lindqvist" not in text


def test_the_preparation_page_comes_first_with_purpose_course_and_rules():
    meeting, *_ = staffed_meeting()
    data = render_pdf(meeting, preparation=True)
    first = read(data).pages[0].extract_text()
    assert "Underlag för samtal" in first
    assert "Syftet med mötet är att skapa tydlighet" in first
    assert "Stäng av mobilen" in first
    for phase in ("Dåtid", "Nutid", "Framtid"):
        assert phase in first
    assert "Reflektion och analys av läget" in first
    assert "110 min" in first
    assert "Underlag för samtal" not in read(data).pages[1].extract_text()


# Archiving


def test_archive_pdf_stores_the_pdf_once_with_its_checksum():
    meeting, *_ = finished_meeting()
    archived = archive_pdf(meeting)
    data = archived.read()
    assert data.startswith(b"%PDF")
    assert archived.sha256 == hashlib.sha256(data).hexdigest()
    assert archived.file.name.endswith(pdf_filename(meeting))
    assert archive_pdf(meeting).pk == archived.pk
    assert ArchivedA3.objects.count() == 1


def test_a_finished_meeting_returns_the_same_bytes_twice(client):
    meeting, facilitator, _ = finished_meeting()
    fill_a3(meeting)
    client.force_login(facilitator)
    url = reverse("meetings:a3_pdf", args=[meeting.pk])
    first = client.get(url).content
    second = client.get(url).content
    assert first.startswith(b"%PDF")
    assert first == second
    assert ArchivedA3.objects.get(meeting=meeting).sha256 == hashlib.sha256(first).hexdigest()


def test_a_finished_meeting_is_served_from_storage_not_rendered_again(client):
    meeting, facilitator, _ = finished_meeting()
    client.force_login(facilitator)
    url = reverse("meetings:a3_pdf", args=[meeting.pk])
    client.get(url)
    entry_in(meeting, Step.RecordKind.LIST, "Skrivet efter arkiveringen")
    assert "Skrivet efter arkiveringen" not in text_of(client.get(url).content)


def test_an_unfinished_meeting_is_rendered_on_each_request(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    url = reverse("meetings:a3_pdf", args=[meeting.pk])
    client.get(url)
    entry_in(meeting, Step.RecordKind.LIST, "Nytt resultat under samtalet")
    assert "Nytt resultat under samtalet" in text_of(client.get(url).content)
    assert not ArchivedA3.objects.exists()


def test_export_pdfs_writes_every_finished_meeting(tmp_path):
    finished, *_ = finished_meeting(theme="Hemtjänst")
    make_meeting(theme="Grundskola")  # planned: not exported
    target = tmp_path / "arkiv"
    call_command("export_pdfs", str(target), stdout=io.StringIO())
    files = sorted(p.name for p in target.iterdir())
    assert files == [pdf_filename(finished)]
    assert (target / files[0]).read_bytes() == ArchivedA3.objects.get().read()


def test_export_pdfs_writes_one_meeting_by_id(tmp_path):
    meeting = make_meeting(theme="Grundskola")
    call_command("export_pdfs", str(tmp_path), meeting=meeting.pk, stdout=io.StringIO())
    written = tmp_path / pdf_filename(meeting)
    assert written.read_bytes().startswith(b"%PDF")


def test_export_pdfs_says_when_the_meeting_does_not_exist(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="inget samtal med id 999"):
        call_command("export_pdfs", str(tmp_path), meeting=999)


# Views: who may download


def test_the_download_is_an_attachment_with_the_file_name(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    response = client.get(reverse("meetings:a3_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{pdf_filename(meeting)}"'


@pytest.mark.parametrize("who", ["facilitator", "note_taker", "participant_with_account"])
def test_members_of_the_meeting_may_download_the_pdf(client, who):
    meeting, facilitator, note_taker = staffed_meeting()
    users = {"facilitator": facilitator, "note_taker": note_taker}
    if who == "participant_with_account":
        users[who] = make_user("maria")
        add_participant(meeting, "Maria Andersson", user=users[who])
    client.force_login(users[who])
    assert client.get(reverse("meetings:a3_pdf", args=[meeting.pk])).status_code == 200


def test_someone_outside_the_meeting_gets_403(client):
    meeting, *_ = finished_meeting()
    client.force_login(make_user("utomstaende"))
    assert client.get(reverse("meetings:a3_pdf", args=[meeting.pk])).status_code == 403


def test_kommunledning_may_download_finished_meetings(client):
    meeting, *_ = finished_meeting()
    client.force_login(make_reviewer())
    assert client.get(reverse("meetings:a3_pdf", args=[meeting.pk])).status_code == 200


def test_kommunledning_may_not_download_meetings_that_are_not_finished(client):
    meeting, *_ = staffed_meeting()
    client.force_login(make_reviewer())
    assert client.get(reverse("meetings:a3_pdf", args=[meeting.pk])).status_code == 403


def test_an_unknown_meeting_gives_404(client):
    client.force_login(make_reviewer())
    assert client.get(reverse("meetings:a3_pdf", args=[999])).status_code == 404
    assert client.get(reverse("meetings:blank_form_pdf", args=[999])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    meeting, *_ = finished_meeting()
    for name in ("meetings:a3_pdf", "meetings:blank_form_pdf"):
        response = client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_pdf_views_only_answer_get(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    participation = meeting.participations.get(person__name="Maria Ek")
    for url in (
        reverse("meetings:a3_pdf", args=[meeting.pk]),
        reverse("meetings:blank_form_pdf", args=[meeting.pk]),
        reverse("participants:a3_pdf", args=[make_token(participation)]),
    ):
        assert client.post(url).status_code == 405


def test_the_empty_form_is_for_members_of_the_meeting(client):
    meeting, facilitator, _ = staffed_meeting()
    url = reverse("meetings:blank_form_pdf", args=[meeting.pk])
    client.force_login(facilitator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-blankett.pdf"')
    client.force_login(make_user("utomstaende"))
    assert client.get(url).status_code == 403


def test_kommunledning_gets_the_empty_form_only_where_it_may_read_the_a3(client):
    # One rule for the meeting's A3 in every form: kommunledning reads finished meetings.
    finished, *_ = finished_meeting()
    planned = make_meeting(theme="Grundskola")
    client.force_login(make_reviewer())
    assert client.get(reverse("meetings:blank_form_pdf", args=[finished.pk])).status_code == 200
    assert client.get(reverse("meetings:blank_form_pdf", args=[planned.pk])).status_code == 403


def test_a_participant_downloads_through_the_personal_link(client):
    meeting, *_ = finished_meeting(theme="Hemtjänst")
    participation = meeting.participations.get(person__name="Maria Ek")
    response = client.get(reverse("participants:a3_pdf", args=[make_token(participation)]))
    assert response.status_code == 200
    assert "Hemtjänst" in text_of(response.content)


def test_a_broken_personal_link_gives_404_and_a_revoked_one_410(client):
    meeting, *_ = staffed_meeting()
    participation = meeting.participations.get(person__name="Maria Ek")
    token = make_token(participation)
    assert client.get(reverse("participants:a3_pdf", args=[token[:-3] + "xyz"])).status_code == 404
    participation.revoke_link()
    assert client.get(reverse("participants:a3_pdf", args=[token])).status_code == 410


def test_the_preparation_page_is_chosen_with_underlag(client):
    meeting, facilitator, _ = finished_meeting()
    client.force_login(facilitator)
    url = reverse("meetings:a3_pdf", args=[meeting.pk])
    plain = read(client.get(url).content)
    with_page = read(client.get(url + "?underlag=1").content)
    assert len(with_page.pages) == len(plain.pages) + 1
    assert "Underlag för samtal" in with_page.pages[0].extract_text()


def test_the_stored_pdf_is_served_with_few_queries(client, django_assert_max_num_queries):
    meeting, facilitator, _ = finished_meeting()
    fill_a3(meeting)
    client.force_login(facilitator)
    url = reverse("meetings:a3_pdf", args=[meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_rendering_takes_the_same_queries_however_full_the_a3_is(
    client, django_assert_max_num_queries
):
    meeting, facilitator, _ = staffed_meeting()
    fill_a3(meeting, claims=30)
    client.force_login(facilitator)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("meetings:a3_pdf", args=[meeting.pk])).status_code == 200


# The meeting page


def test_the_meeting_page_links_to_the_pdf_and_the_empty_form(client):
    meeting, facilitator, _ = staffed_meeting()
    client.force_login(facilitator)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{reverse("meetings:a3_pdf", args=[meeting.pk])}"' in page
    assert "Ladda ner PDF" in page
    assert f'href="{reverse("meetings:blank_form_pdf", args=[meeting.pk])}"' in page


def test_a_finished_meeting_page_offers_no_empty_form(client):
    meeting, facilitator, _ = finished_meeting()
    client.force_login(facilitator)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Ladda ner PDF" in page
    assert "Skriv ut tom blankett" not in page


def test_a_finished_meeting_changed_afterwards_gets_a_new_stored_pdf(client):
    meeting, facilitator, _ = finished_meeting()
    client.force_login(facilitator)
    url = reverse("meetings:a3_pdf", args=[meeting.pk])
    client.get(url)
    old_name = ArchivedA3.objects.get().file.name
    entry_in(meeting, Step.RecordKind.LIST, "Rättelse efter samtalet")
    meeting.bump_version()
    assert "Rättelse efter samtalet" in text_of(client.get(url).content)
    archived = ArchivedA3.objects.get()
    assert archived.meeting_version == meeting.version
    assert archived.file.name != old_name
    assert not archived.file.storage.exists(old_name)


def test_the_admin_lists_stored_pdfs_read_only(client):
    from django.contrib.auth.models import User

    meeting, *_ = finished_meeting(theme="Hemtjänst")
    archive_pdf(meeting)
    client.force_login(User.objects.create_superuser("admin", "admin@kommun.example", "x"))
    page = client.get(reverse("admin:archive_archiveda3_changelist"))
    assert page.status_code == 200
    assert "Hemtjänst" in page.content.decode()
    assert client.get(reverse("admin:archive_archiveda3_add")).status_code == 403


def test_export_pdfs_leaves_existing_files_alone_unless_told(tmp_path):
    meeting, *_ = finished_meeting()
    target = tmp_path / "arkiv"
    target.mkdir()
    existing = target / pdf_filename(meeting)
    existing.write_bytes(b"gammal")
    call_command("export_pdfs", str(target), stdout=io.StringIO())
    assert existing.read_bytes() == b"gammal"
    call_command("export_pdfs", str(target), overwrite=True, stdout=io.StringIO())
    assert existing.read_bytes().startswith(b"%PDF")


def test_a_word_longer_than_its_column_is_wrapped_and_kept_whole():
    meeting, *_ = staffed_meeting()
    url = "https://www.sundsvall.se/" + "mycket-lang-sokvag/" * 12
    word = "Ordetsomaldrigtarslut" * 8
    entry_in(meeting, Step.RecordKind.CLAIMS, f"Se {url} för detaljer", reason=word)
    text = squeeze(text_of(render_pdf(meeting)))
    assert squeeze(url) in text
    assert word in text


def test_the_pdf_is_tagged_and_in_swedish_for_screen_readers():
    meeting, *_ = staffed_meeting()
    catalog = read(render_pdf(meeting)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "sv"


def test_the_groups_four_perspective_split_is_printed_with_the_a3():
    from samtal.evaluations.models import PerspectiveSplit

    meeting, *_ = finished_meeting()
    PerspectiveSplit.objects.create(
        meeting=meeting,
        is_group_entry=True,
        citizens=45,
        employees=20,
        process=20,
        economy=10,
        other=5,
        other_what="Lokaler",
    )
    text = spaced(text_of(render_pdf(meeting)))
    assert "Vi ska belysa resultat ur fyra perspektiv" in text
    assert "Medborgare/brukare" in text and "45" in text


def test_a_meeting_without_a_split_prints_no_perspective_section():
    meeting, *_ = finished_meeting()
    assert "fyra perspektiv" not in text_of(render_pdf(meeting))


def test_export_pdfs_writes_both_meetings_of_a_unit_with_the_same_theme_and_date(tmp_path):
    first, *_ = finished_meeting(theme="Hemtjänst")
    second = make_meeting(
        theme="Hemtjänst", unit=first.unit, status=Meeting.Status.FINISHED, days_from_today=-3
    )
    target = tmp_path / "arkiv"
    call_command("export_pdfs", str(target), stdout=io.StringIO())
    base = pdf_filename(first).removesuffix(".pdf")
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [f"{base}-{first.pk}.pdf", f"{base}-{second.pk}.pdf"]
    )
