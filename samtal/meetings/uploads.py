"""What may be uploaded as underlag: the type is read from the content, not the name."""

import zipfile

import filetype
from django.conf import settings
from django.utils.translation import gettext_lazy as _

# Office Open XML documents are zip files; their type shows in the zip's structure.
OFFICE_TYPES = {
    "word/": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xl/": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
ALLOWED = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    # Older Office formats (OLE compound files) are detected by filetype as doc/xls/ppt.
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
ALLOWED_DESCRIPTION = _("PDF, Word, Excel, PowerPoint eller en bild (PNG, JPEG, GIF, WebP)")


def max_upload_bytes():
    return getattr(settings, "MATERIAL_MAX_UPLOAD_BYTES", 25 * 1024 * 1024)


def office_type(uploaded):
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, found in OFFICE_TYPES.items():
        if any(name.startswith(prefix) for name in names):
            return found
    return None


def detect_type(uploaded):
    """(extension, content type) of an allowed file, from its content; None otherwise."""
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if (
        kind.extension == "zip"
        or kind.mime == "application/zip"
        or kind.extension
        in {
            "docx",
            "xlsx",
            "pptx",
        }
    ):
        return office_type(uploaded)
    if kind.extension in ALLOWED:
        return kind.extension, ALLOWED[kind.extension]
    return None
