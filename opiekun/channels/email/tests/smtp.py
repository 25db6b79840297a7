"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 at a free port, in a thread.

Use it from a test module with `pytest_plugins = ["opiekun.channels.email.tests.smtp"]`.
`smtp_server` points MAILERS at the server and collects what it accepted; set
`smtp_server.refuse_with = "451 4.3.0 Try again later"` to make it answer DATA with an error.
`smtp_down` points MAILERS at a port where nothing listens (connection refused).
"""

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from pytest_django.fixtures import Settings

HOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on (the OS picks it; closed again at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: EmailMessage


@dataclass
class SmtpServer:
    port: int
    received: list[Received] = field(default_factory=list)
    refuse_with: str | None = None

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        if self.refuse_with is not None:
            return self.refuse_with
        raw = bytes(envelope.original_content)  # type: ignore[attr-defined]
        # Line endings as a mailbox stores them (the wire uses CRLF).
        parsed = email.message_from_bytes(raw.replace(b"\r\n", b"\n"), policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(
            Received(
                mail_from=envelope.mail_from,  # type: ignore[attr-defined]
                rcpt_tos=list(envelope.rcpt_tos),  # type: ignore[attr-defined]
                raw=raw,
                message=parsed,
            )
        )
        return "250 Message accepted for delivery"


def point_mailers_at(settings: Settings, port: int) -> None:
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": HOST, "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_server(settings: Settings) -> Iterator[SmtpServer]:
    server = SmtpServer(port=free_port())
    controller = Controller(server, hostname=HOST, port=server.port)
    controller.start()
    point_mailers_at(settings, server.port)
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_down(settings: Settings) -> int:
    port = free_port()
    point_mailers_at(settings, port)
    return port


@pytest.fixture
def smtp_comes_back(smtp_down: int) -> Iterator[Callable[[], SmtpServer]]:
    """Start a server on `smtp_down`'s port when the test calls it: the mail server is back."""
    controllers: list[Controller] = []

    def start() -> SmtpServer:
        server = SmtpServer(port=smtp_down)
        controller = Controller(server, hostname=HOST, port=smtp_down)
        controller.start()
        controllers.append(controller)
        return server

    yield start
    for controller in controllers:
        controller.stop()
