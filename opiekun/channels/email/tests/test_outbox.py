"""The development outbox: mail kept as .eml files, read by staff in the desk."""

from pathlib import Path

import pytest
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from opiekun.accounts.models import User
from opiekun.channels.email.outbox import BACKEND

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(settings: Settings, tmp_path: Path) -> Path:
    settings.VAR_DIR = tmp_path
    settings.MAILERS = {"default": {"BACKEND": BACKEND, "OPTIONS": {}}}
    return tmp_path / "outbox"


def send_one() -> None:
    message = EmailMultiAlternatives(
        "Link do Twoich zgłoszeń",
        "Otwórz: http://127.0.0.1:8000/portal/sign-in/abc/",
        "obsluga@sklep.pl",
        ["kasia@example.pl"],
    )
    message.attach_alternative(
        '<p><a href="http://127.0.0.1:8000/portal/sign-in/abc/">Otwórz</a>'
        "<script>alert(1)</script></p>",
        "text/html",
    )
    message.attach("paragon.pdf", b"%PDF-1.4 paragon", "application/pdf")
    message.send()


def test_mail_is_kept_and_staff_read_it_with_links_and_files(outbox: Path, agent_ann: User) -> None:
    send_one()
    client = Client()
    client.force_login(agent_ann)

    [kept] = list(outbox.glob("*.eml"))
    listing = client.get(reverse("email_channel:outbox")).content.decode()
    page = client.get(reverse("email_channel:outbox_message", args=[kept.name])).content.decode()
    file = client.get(reverse("email_channel:outbox_attachment", args=[kept.name, 0]))

    assert "kasia@example.pl" in listing
    assert "Link do Twoich zgłoszeń" in listing
    assert '<a href="http://127.0.0.1:8000/portal/sign-in/abc/"' in page
    assert "<script>" not in page.split("message-html", 1)[1]
    assert "paragon.pdf" in page
    assert file.content == b"%PDF-1.4 paragon"
    assert file["Content-Type"] == "application/octet-stream"


def test_the_outbox_is_not_there_when_mail_goes_to_a_server(
    settings: Settings, agent_ann: User
) -> None:
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend", "OPTIONS": {}}
    }
    client = Client()
    client.force_login(agent_ann)

    response = client.get(reverse("email_channel:outbox"))
    cases = client.get(reverse("cases:list")).content.decode()

    assert response.status_code == 404
    assert reverse("email_channel:outbox") not in cases


def test_only_names_the_outbox_wrote_are_read(outbox: Path, agent_ann: User) -> None:
    send_one()
    client = Client()
    client.force_login(agent_ann)

    response = client.get(reverse("email_channel:outbox_message", args=["..%2F..%2Fsettings.py"]))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(outbox: Path) -> None:
    response = Client().get(reverse("email_channel:outbox"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
