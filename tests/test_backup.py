"""backup and restore: the demo with an upload and archived PDFs, restored into an empty
installation, gives the same rows per model and the same files by checksum."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from samtal.archive.pdfs import archive_pdf
from samtal.core.backup import row_counts, storage_files
from samtal.demo.management.commands.seed_demo import load_demo, read_demo_file
from samtal.meetings.models import Material, Meeting
from samtal.surveys import builtin
from samtal.surveys.models import Instrument, Statement
from tests.factories import default_version

pytestmark = pytest.mark.django_db(transaction=True)


def demo_with_files():
    default_version()
    builtin.create_all(Instrument, Statement)
    load_demo(read_demo_file())
    meeting = Meeting.objects.get(theme="Grundskola")
    material = Material(meeting=meeting, title="Kvalitetsrapport", original_name="rapport.pdf")
    material.file.save("rapport.pdf", ContentFile(b"%PDF-1.7 rapport " * 200), save=False)
    material.size = material.file.size
    material.save()
    for theme in ("Hemtjänst", "Origoparken"):
        archive_pdf(Meeting.objects.get(theme=theme))


def files_by_checksum():
    found = {}
    for name in storage_files():
        with default_storage.open(name, "rb") as handle:
            found[name] = hashlib.sha256(handle.read()).hexdigest()
    return found


def empty_installation():
    """What a fresh `migrate` leaves: no data but the data migrations' rows."""
    call_command("flush", interactive=False, verbosity=0)
    for name in list(storage_files()):
        default_storage.delete(name)
    default_version()
    builtin.create_all(Instrument, Statement)


def test_a_restored_backup_has_the_same_rows_per_model_and_the_same_files(tmp_path):
    demo_with_files()
    rows_before, files_before = row_counts(), files_by_checksum()
    assert len(files_before) == 3
    archive = tmp_path / "samtal.tar.gz"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Säkerhetskopian är skriven" in out.getvalue()

    empty_installation()
    assert files_by_checksum() == {}
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "alla kontrollsummor stämmer" in out.getvalue()

    assert row_counts() == rows_before
    assert files_by_checksum() == files_before
    restored = Meeting.objects.get(theme="Hemtjänst").archived_a3
    assert hashlib.sha256(restored.read()).hexdigest() == restored.sha256


def test_the_manifest_counts_rows_and_checksums_every_file(tmp_path):
    demo_with_files()
    archive = tmp_path / "samtal.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        names = set(tar.getnames())
    assert manifest["models"]["meetings.Meeting"] == 4  # three in Sundsvall, one in Timrå
    assert "sessions.Session" not in manifest["models"]
    assert {f"media/{f['path']}" for f in manifest["files"]} <= names
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    assert manifest["database"]["sha256"]


def test_restore_refuses_an_installation_that_is_not_empty(tmp_path):
    demo_with_files()
    archive = tmp_path / "samtal.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    rows = row_counts()
    with pytest.raises(CommandError, match="Installationen är inte tom"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert row_counts() == rows


def test_restore_refuses_an_archive_whose_file_was_changed(tmp_path):
    demo_with_files()
    archive = tmp_path / "samtal.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    tampered = tmp_path / "andrad.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(tampered, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.endswith("rapport.pdf"):
                data = data.replace(b"rapport", b"RAPPORT")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    empty_installation()
    with pytest.raises(CommandError, match="Kontrollsumman"):
        call_command("restore", str(tampered), stdout=io.StringIO())
    assert not Meeting.objects.exists()
    assert list(storage_files()) == []
