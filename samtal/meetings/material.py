"""Serving a meeting's material files, to members and through personal links."""

from django.http import FileResponse, Http404


def material_response(material):
    """The file as a download: never shown inline, never sniffed as something else."""
    if not material.file:
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=material.original_name or material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
