"""Backup and restore of the database and the media files together, in one archive.

The archive is a gzipped tar file holding
- database.json: `dumpdata` of every app (natural keys where a model has them), a portable
  form that loads into SQLite or PostgreSQL alike;
- media/…: every file in the default storage (uploaded material, archived PDF/A files);
- manifest.json: the format, when and from what it was taken, the applied migrations, the
  number of rows per model and the SHA-256 and size of the dump and of every file.

Generic over the app registry: nothing here names a Samtal model.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "samtal-backup/1"
DATABASE_NAME = "database.json"
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
# Rebuilt by `migrate` (content types, permissions) or deliberately not carried over
# (sessions: a restored installation starts with everybody logged out).
EXCLUDED = ("contenttypes.ContentType", "auth.Permission", "sessions.Session")


class BackupError(Exception):
    """Why a backup or restore cannot go on, in Swedish for the operator."""


def sha256_of(handle, chunk=1024 * 1024):
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(chunk), b""):
        digest.update(block)
    return digest.hexdigest()


def counted_models():
    """Every concrete, managed model whose rows the backup carries (m2m tables included)."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label in EXCLUDED:
            continue
        yield model


def row_counts(using=DEFAULT_DB_ALIAS):
    return {
        model._meta.label: model._base_manager.using(using).count()
        for model in sorted(counted_models(), key=lambda m: m._meta.label)
    }


def applied_migrations(using=DEFAULT_DB_ALIAS):
    recorder = MigrationRecorder(connections[using])
    applied = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def storage_files(storage=None, directory=""):
    """Every file name in the storage, walked with the storage API (local disk or S3)."""
    storage = storage or default_storage
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from storage_files(storage, f"{directory}/{sub}" if directory else sub)


def missing_files(storage=None):
    """(model label, pk, name) of every file field that points at a file that is not there."""
    from django.db.models import FileField

    storage = storage or default_storage
    missing = []
    for model in counted_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, FileField)]
        for field in fields:
            for pk, name in model._base_manager.exclude(**{field.name: ""}).values_list(
                "pk", field.name
            ):
                if name and not storage.exists(name):
                    missing.append((model._meta.label, pk, name))
    return missing


def _add_bytes(tar, name, data, mtime):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = mtime
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def create_backup(path, using=DEFAULT_DB_ALIAS, storage=None):
    """Write the archive to path; returns the manifest."""
    storage = storage or default_storage
    started = time.monotonic()
    path = Path(path)
    mtime = int(time.time())
    with tempfile.TemporaryDirectory() as workdir:
        dump = Path(workdir) / DATABASE_NAME
        connection = connections[using]
        # One consistent view of the database for the dump and the counts.
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = row_counts(using)
            with dump.open("w", encoding="utf-8") as out:
                call_command(
                    "dumpdata",
                    *[f"--exclude={label}" for label in EXCLUDED],
                    natural_foreign=True,
                    natural_primary=True,
                    database=using,
                    indent=None,
                    stdout=out,
                )
            migrations = applied_migrations(using)
            missing = missing_files(storage)
        with dump.open("rb") as handle:
            dump_sha = sha256_of(handle)
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database_vendor": connection.vendor,
            "migrations": migrations,
            "models": counts,
            "database": {
                "path": DATABASE_NAME,
                "sha256": dump_sha,
                "bytes": dump.stat().st_size,
            },
            "files": [],
            "missing_files": [
                {"model": label, "pk": str(pk), "name": name} for label, pk, name in missing
            ],
        }
        partial = path.with_name(path.name + ".delvis")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(dump, arcname=DATABASE_NAME)
            for name in storage_files(storage):
                with storage.open(name, "rb") as handle:
                    data = handle.read()
                manifest["files"].append(
                    {
                        "path": name,
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "bytes": len(data),
                    }
                )
                _add_bytes(tar, MEDIA_PREFIX + name, data, mtime)
            manifest["seconds"] = round(time.monotonic() - started, 2)
            _add_bytes(
                tar,
                MANIFEST_NAME,
                json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"),
                mtime,
            )
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    manifest["archive_bytes"] = path.stat().st_size
    return manifest


def read_manifest(tar):
    try:
        member = tar.getmember(MANIFEST_NAME)
    except KeyError:
        raise BackupError(
            "Arkivet saknar manifest.json; det är inte en säkerhetskopia från Samtal."
        ) from None
    manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Okänt format {manifest.get('format')!r}; väntade {FORMAT}.")
    return manifest


def unpack_and_verify(path, workdir):
    """Unpack into workdir, checking every checksum against the manifest; returns it."""
    with tarfile.open(path, "r:gz") as tar:
        manifest = read_manifest(tar)
        expected = {MEDIA_PREFIX + f["path"]: f for f in manifest["files"]}
        expected[DATABASE_NAME] = manifest["database"]
        found = set()
        for member in tar.getmembers():
            if member.name == MANIFEST_NAME:
                continue
            if member.name not in expected or not member.isfile():
                raise BackupError(
                    f"Arkivet innehåller {member.name!r}, som manifestet inte nämner."
                )
            target = Path(workdir) / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out)
            with target.open("rb") as handle:
                digest = sha256_of(handle)
            if digest != expected[member.name]["sha256"]:
                raise BackupError(
                    f"Kontrollsumman för {member.name} stämmer inte: filen är skadad eller ändrad."
                )
            found.add(member.name)
        absent = sorted(set(expected) - found)
        if absent:
            raise BackupError("Arkivet saknar filer som manifestet nämner: " + ", ".join(absent))
    return manifest


def installation_contents(manifest_models, using=DEFAULT_DB_ALIAS, storage=None):
    """What in this installation stands in the way of a restore (in words); empty if none.

    Empty means: no user accounts, no stored files, and no model with more rows than the
    backup has. Rows `migrate` itself writes (data migrations: the default conversation
    template, the survey instruments) are allowed; the backup's own rows replace them."""
    from django.contrib.auth import get_user_model

    storage = storage or default_storage
    held = []
    users = get_user_model()._base_manager.using(using).count()
    if users:
        held.append(f"{users} användarkonton")
    files = list(storage_files(storage))
    if files:
        held.append(f"{len(files)} filer i lagringen")
    for label, count in row_counts(using).items():
        if count > manifest_models.get(label, 0):
            held.append(f"{label}: {count} rader")
    return held


def seeded_models(using=DEFAULT_DB_ALIAS):
    """The models holding rows in an (otherwise empty) installation: what migrate wrote."""
    return [label for label, count in row_counts(using).items() if count]


def delete_rows(labels, using=DEFAULT_DB_ALIAS):
    """Delete every row of these models, in whatever order protected keys allow."""
    from django.db.models import ProtectedError, RestrictedError

    remaining = list(labels)
    while remaining:
        blocked = []
        for label in remaining:
            try:
                apps.get_model(label)._base_manager.using(using).all().delete()
            except (ProtectedError, RestrictedError):
                blocked.append(label)
        if len(blocked) == len(remaining):
            raise BackupError("Kan inte tömma " + ", ".join(blocked) + " före inläsningen.")
        remaining = blocked


def restore_backup(path, using=DEFAULT_DB_ALIAS, storage=None):
    """Restore the archive into an empty installation; returns (manifest, seconds)."""
    storage = storage or default_storage
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as workdir:
        manifest = unpack_and_verify(path, workdir)
        here = applied_migrations(using)
        if here != manifest["migrations"]:
            raise BackupError(
                "Databasens migreringar skiljer sig från säkerhetskopians. Installera samma "
                "version av Samtal som säkerhetskopian togs med, kör `migrate` och försök igen."
            )
        held = installation_contents(manifest["models"], using, storage)
        if held:
            raise BackupError(
                "Installationen är inte tom, så inget återställs (det skulle blanda två "
                "installationers uppgifter). Den innehåller: " + "; ".join(held)
            )
        written = []
        try:
            for entry in manifest["files"]:
                source = Path(workdir) / (MEDIA_PREFIX + entry["path"])
                with source.open("rb") as handle:
                    name = storage.save(entry["path"], File(handle))
                written.append(name)
                if name != entry["path"]:
                    raise BackupError(f"Filen {entry['path']} fick namnet {name} i lagringen.")
                with storage.open(name, "rb") as handle:
                    if sha256_of(handle) != entry["sha256"]:
                        raise BackupError(f"Filen {name} blev inte densamma när den skrevs.")
            with transaction.atomic(using=using):
                delete_rows(seeded_models(using), using)
                call_command(
                    "loaddata", str(Path(workdir) / DATABASE_NAME), database=using, verbosity=0
                )
                counts = row_counts(using)
                differing = {
                    label: (count, counts.get(label))
                    for label, count in manifest["models"].items()
                    if counts.get(label) != count
                }
                if differing:
                    raise BackupError(
                        "Antalet rader stämmer inte efter inläsningen: "
                        + ", ".join(f"{k} {a}≠{b}" for k, (a, b) in differing.items())
                    )
        except Exception:
            for name in written:
                storage.delete(name)
            raise
    return manifest, round(time.monotonic() - started, 2)
