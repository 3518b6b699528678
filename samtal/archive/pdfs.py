"""The finished meeting's PDF, rendered once (samtal.a3.pdf) and kept as a stored file."""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samtal.a3.pdf import pdf_filename, render_pdf  # noqa: F401 (pdf_filename for views)

from .models import ArchivedA3

logger = logging.getLogger("samtal.archive")


def archive_pdf(meeting):
    """Render the finished meeting's PDF once and store it; returns the ArchivedA3.

    Called when the meeting is finished ("Avsluta samtalet") and lazily on first download.
    The stored PDF is kept as long as the meeting's version is unchanged; should a finished
    meeting be changed after all (its version moves on), the next call stores a new PDF.
    """
    existing = ArchivedA3.objects.filter(meeting=meeting).first()
    if existing is not None and existing.meeting_version == meeting.version:
        if existing.file and existing.file.storage.exists(existing.file.name):
            return existing
        rerender(existing, _("filen saknades"))
        return existing
    data = render_pdf(meeting)
    archived = existing or ArchivedA3(meeting=meeting)
    old_name = existing.file.name if existing else None
    archived.meeting_version = meeting.version
    archived.sha256 = hashlib.sha256(data).hexdigest()
    archived.file.save(pdf_filename(meeting), ContentFile(data), save=False)
    try:
        with transaction.atomic():
            archived.save()
    except IntegrityError:
        # Someone else archived the same meeting at the same moment: keep theirs.
        archived.file.delete(save=False)
        return ArchivedA3.objects.get(meeting=meeting)
    if old_name and old_name != archived.file.name:
        archived.file.storage.delete(old_name)
    return archived


def rerender(archived, reason):
    """Render the locked A3 again in place of a missing or damaged stored file; returns the
    bytes. The row is flagged (rerendered_at, rerender_reason: shown in the admin) and the
    log says so. A damaged file is left where it is for inspection; the new one gets its
    own name. Should storing fail too (full or unwritable disk), the bytes are still
    returned, so the download works, and the log says why."""
    meeting = archived.meeting
    data = render_pdf(meeting)
    logger.warning(
        "Archived PDF of meeting %s: %s; rendered again from the locked A3", meeting.pk, reason
    )
    try:
        archived.file.save(pdf_filename(meeting), ContentFile(data), save=False)
    except OSError:
        logger.exception("Could not store the re-rendered PDF of meeting %s", meeting.pk)
        return data
    archived.sha256 = hashlib.sha256(data).hexdigest()
    archived.rerendered_at = timezone.now()
    archived.rerender_reason = str(reason)[:200]
    archived.save(update_fields=["file", "sha256", "rerendered_at", "rerender_reason"])
    return data


def pdf_for_download(meeting, *, preparation=False):
    """Bytes for "Ladda ner PDF": stored for finished meetings, fresh for the others.

    Never fails because of the stored file: a missing or unreadable one is rendered again
    from the locked A3 (and flagged), and a disk that takes no new file still gets the
    download its bytes."""
    if not (meeting.is_locked and not preparation):
        return render_pdf(meeting, preparation=preparation)
    try:
        archived = archive_pdf(meeting)
    except OSError:
        logger.exception("Could not store the archived PDF of meeting %s", meeting.pk)
        return render_pdf(meeting)
    try:
        return archived.read()
    except OSError as error:
        return rerender(
            archived,
            _("filen gick inte att läsa (%(error)s)") % {"error": error.__class__.__name__},
        )
