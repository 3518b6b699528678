"""Backup and restore round trip of the demo with an upload and archived PDFs.

    .venv/bin/python bench/backup.py            # SQLite and PostgreSQL (throwaway clusters)
    .venv/bin/python bench/backup.py sqlite

For each database: a source installation (migrate, seed_demo, one uploaded PDF, the
archived PDF/A of every meeting), `manage.py backup`, a new empty installation (migrate),
`manage.py restore`; then rows per model and files by checksum are compared and the
figures printed (rows, files, sizes, seconds).
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
PYTHON = str(ROOT / ".venv" / "bin" / "python")

PREPARE = """
from django.core.files.base import ContentFile
from samtal.archive.pdfs import archive_pdf
from samtal.meetings.models import Material, Meeting
meeting = Meeting.objects.get(theme="Grundskola")
material = Material(meeting=meeting, title="Kvalitetsrapport", original_name="rapport.pdf",
                    content_type="application/pdf")
material.file.save("rapport.pdf", ContentFile(b"%PDF-1.7 " + b"x" * 400_000), save=False)
material.size = material.file.size
material.save()
for m in Meeting.objects.all():
    archive_pdf(m)
"""

STATE = """
import hashlib, json
from django.core.files.storage import default_storage
from samtal.core.backup import row_counts, storage_files
files = {}
for name in storage_files():
    with default_storage.open(name, "rb") as h:
        files[name] = hashlib.sha256(h.read()).hexdigest()
print(json.dumps({"rows": row_counts(), "files": files}))
"""


def manage(env, *args):
    started = time.monotonic()
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout, time.monotonic() - started


def environment(database_url, media):
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": database_url, "MEDIA_ROOT": media}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def round_trip(name, source_url, target_url, workdir):
    source = environment(source_url, str(workdir / "media-a"))
    target = environment(target_url, str(workdir / "media-b"))
    manage(source, "migrate", "-v0")
    manage(source, "seed_demo")
    manage(source, "shell", "-c", PREPARE)
    before = json.loads(manage(source, "shell", "-c", STATE)[0].strip().splitlines()[-1])
    archive = workdir / f"{name}.tar.gz"
    _, backup_seconds = manage(source, "backup", str(archive))
    manage(target, "migrate", "-v0")
    _, restore_seconds = manage(target, "restore", str(archive))
    after = json.loads(manage(target, "shell", "-c", STATE)[0].strip().splitlines()[-1])
    same_rows = before["rows"] == after["rows"]
    same_files = before["files"] == after["files"]
    nonzero = {k: v for k, v in before["rows"].items() if v}
    print(f"\n== {name}")
    total = sum(nonzero.values())
    print(f"rows: {total} in {len(nonzero)} models with rows; same after restore: {same_rows}")
    for label, count in sorted(nonzero.items()):
        print(f"  {label:<40} {count:>5}  {after['rows'].get(label)!s:>5}")
    file_bytes = sum((workdir / "media-a" / f).stat().st_size for f in before["files"])
    print(f"files: {len(before['files'])} ({file_bytes} bytes); same checksums: {same_files}")
    print(f"archive: {archive.stat().st_size} bytes")
    print(f"backup: {backup_seconds:.1f} s, restore: {restore_seconds:.1f} s (manage.py wall time)")
    return same_rows and same_files


def main(which):
    ok = True
    if "sqlite" in which:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            ok &= round_trip(
                "sqlite", f"sqlite:///{tmp / 'a.sqlite3'}", f"sqlite:///{tmp / 'b.sqlite3'}", tmp
            )
    if "postgres" in which:
        from pgcluster import throwaway_cluster

        with contextlib.ExitStack() as stack, tempfile.TemporaryDirectory() as tmp:
            source_url = stack.enter_context(throwaway_cluster())
            target_url = stack.enter_context(throwaway_cluster())
            ok &= round_trip("postgresql", source_url, target_url, Path(tmp))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["sqlite", "postgres"]))
