import pytest

from opiekun.cases.files import serve_attachment
from opiekun.cases.services import store_attachment
from opiekun.cases.tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db

DOWNLOAD = "application/octet-stream"


@pytest.mark.parametrize(
    ("stored_type", "served_type", "disposition"),
    [
        ("image/png", "image/png", "inline"),
        ("image/jpeg", "image/jpeg", "inline"),
        ("image/gif", "image/gif", "inline"),
        ("image/webp", "image/webp", "inline"),
        ("IMAGE/PNG; name=scan.png", "image/png", "inline"),
        ("image/svg+xml", DOWNLOAD, "attachment"),
        ("image/bmp", DOWNLOAD, "attachment"),
        ("text/html", DOWNLOAD, "attachment"),
        ("application/xhtml+xml", DOWNLOAD, "attachment"),
        ("text/xml", DOWNLOAD, "attachment"),
        ("application/xml", DOWNLOAD, "attachment"),
        ("text/javascript", DOWNLOAD, "attachment"),
        ("application/javascript", DOWNLOAD, "attachment"),
        ("application/pdf", DOWNLOAD, "attachment"),
        ("text/plain", DOWNLOAD, "attachment"),
        ("application/vnd.ms-excel", DOWNLOAD, "attachment"),
        ("application/octet-stream", DOWNLOAD, "attachment"),
        ("", DOWNLOAD, "attachment"),
        ("png", DOWNLOAD, "attachment"),
    ],
)
def test_only_safe_raster_images_are_shown_in_place(
    stored_type: str, served_type: str, disposition: str
) -> None:
    interaction = InteractionFactory.create()
    attachment = store_attachment(
        interaction, filename="plik 7/skan.bin", content=b"\x89PNG bytes", content_type=stored_type
    )

    response = serve_attachment(attachment)

    assert b"".join(response.streaming_content) == b"\x89PNG bytes"  # type: ignore[arg-type]
    assert {
        name: response[name]
        for name in (
            "Content-Type",
            "Content-Disposition",
            "X-Content-Type-Options",
            "Content-Security-Policy",
            "Cache-Control",
        )
    } == {
        "Content-Type": served_type,
        "Content-Disposition": f'{disposition}; filename="skan.bin"',
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": "private, no-store",
    }
