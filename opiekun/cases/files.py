"""Serving an attachment's bytes to a browser: one rule for the desk and the portal."""

from django.http import FileResponse

from opiekun.cases.models import Attachment
from opiekun.core.files import safe_filename

# Raster images a browser only ever draws: these alone are shown in place, with their type.
# Everything else (HTML, SVG, XML, scripts, PDF, office files…) is downloaded as opaque bytes,
# so a received file never renders or runs in our origin.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})


def serve_attachment(attachment: Attachment) -> FileResponse:
    """The attachment as a response: a safe raster image inline with its own type, anything
    else as a download of `application/octet-stream`; its file name kept either way.

    The caller has checked that whoever asks may see the file (an `access_*` selector).
    """
    content_type = attachment.content_type.split(";")[0].strip().lower()
    inline = content_type in INLINE_TYPES
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=not inline,
        filename=safe_filename(attachment.filename),
        content_type=content_type if inline else "application/octet-stream",
    )
    # Browsers must not guess another type, and the file, even opened on its own, gets no
    # scripts, no origin and no place in a shared cache.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
