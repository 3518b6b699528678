"""The finished meeting's PDF, rendered once (samtal.a3.pdf) and kept as a stored file."""

import hashlib

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from samtal.a3.pdf import pdf_filename, render_pdf  # noqa: F401 (pdf_filename for views)

from .models import ArchivedA3


def archive_pdf(meeting):
    """Render the finished meeting's PDF once and store it; returns the ArchivedA3.

    Called when the meeting is finished ("Avsluta samtalet") and lazily on first download.
    The stored PDF is kept as long as the meeting's version is unchanged; should a finished
    meeting be changed after all (its version moves on), the next call stores a new PDF.
    """
    existing = ArchivedA3.objects.filter(meeting=meeting).first()
    if existing is not None and existing.meeting_version == meeting.version:
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


def pdf_for_download(meeting, *, preparation=False):
    """Bytes for "Ladda ner PDF": stored for finished meetings, fresh for the others."""
    if meeting.is_locked and not preparation:
        return archive_pdf(meeting).read()
    return render_pdf(meeting, preparation=preparation)
