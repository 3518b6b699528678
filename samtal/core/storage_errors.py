"""Disk errors when storing a file, told in Swedish instead of a server error."""

import errno
import logging

from django.utils.translation import gettext as _

logger = logging.getLogger("samtal.storage")

FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
NOT_ALLOWED = {errno.EACCES, errno.EPERM, errno.EROFS}


def storage_error_message(error):
    """What to tell the person whose file could not be stored (what they typed is kept)."""
    logger.error("Could not store a file: %s", error.__class__.__name__, exc_info=error)
    if isinstance(error, PermissionError) or error.errno in NOT_ALLOWED:
        return _(
            "Filen kunde inte sparas: servern får inte skriva i mappen för filer. Det du "
            "skrev finns kvar. Kontakta administratören (behörigheten på MEDIA_ROOT behöver "
            "rättas) och försök sedan igen."
        )
    if error.errno in FULL:
        return _(
            "Filen kunde inte sparas eftersom lagringsutrymmet på servern är fullt. Det du "
            "skrev finns kvar. Kontakta administratören och försök igen när det finns plats."
        )
    return _(
        "Filen kunde inte sparas på grund av ett fel i serverns lagring. Det du skrev finns "
        "kvar. Försök igen om en stund, eller kontakta administratören."
    )


def storage_error_status(error):
    """507 Insufficient Storage for a full disk, 503 for the other storage failures."""
    return 507 if getattr(error, "errno", None) in FULL else 503
