"""The development outbox: under `make run` every outgoing email is kept as an .eml file in
var/outbox/ instead of going to an SMTP server, and staff read it in the desk (/email/outbox/).

`OutboxBackend` is a Django mail backend (settings.MAILERS); the functions below read what it
kept. Nothing here runs in production unless EMAIL_BACKEND names it.
"""

import email
import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage as ParsedEmail
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from django.utils import timezone

BACKEND = "opiekun.channels.email.outbox.OutboxBackend"
_NAME = re.compile(r"^[0-9]{8}T[0-9]{6}-[0-9a-f]{32}\.eml$")


class OutboxBackend(BaseEmailBackend):
    """Keep each message as `<UTC time>-<random>.eml` in `directory`."""

    def __init__(self, *args: Any, directory: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(directory or outbox_directory())

    def send_messages(self, email_messages: Any) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            assert isinstance(message, EmailMessage)  # noqa: S101 (Django passes these)
            name = f"{timezone.now():%Y%m%dT%H%M%S}-{uuid4().hex}.eml"
            partial = self.directory / f".{name}"
            partial.write_bytes(message.message().as_bytes())
            partial.rename(self.directory / name)  # readers never see half a message
            sent += 1
        return sent


def outbox_directory() -> Path:
    return Path(settings.VAR_DIR) / "outbox"


def outbox_enabled() -> bool:
    return bool(settings.MAILERS.get("default", {}).get("BACKEND") == BACKEND)


@dataclass(frozen=True)
class Kept:
    name: str
    sent_at: datetime | None
    sender: str
    to: str
    subject: str
    message: ParsedEmail


def kept_messages(limit: int = 200) -> list[Kept]:
    """The newest kept messages first."""
    directory = outbox_directory()
    if not directory.is_dir():
        return []
    names = sorted(path.name for path in directory.iterdir() if _NAME.match(path.name))
    return [_read(name) for name in reversed(names[-limit:])]


def kept_message(name: str) -> Kept | None:
    """One kept message by file name; None for any name the outbox did not write."""
    if not _NAME.match(name) or not (outbox_directory() / name).is_file():
        return None
    return _read(name)


def _read(name: str) -> Kept:
    raw = (outbox_directory() / name).read_bytes()
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, ParsedEmail)  # noqa: S101 (policy.default parses to these)
    try:
        sent_at = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return Kept(
        name=name,
        sent_at=sent_at,
        sender=str(message["From"] or ""),
        to=", ".join(str(message[header]) for header in ("To", "Cc") if message[header]),
        subject=str(message["Subject"] or ""),
        message=message,
    )


def parts(message: ParsedEmail) -> tuple[str, str, list[tuple[str, str]]]:
    """(text, html, [(file name, content type)]) of a kept message."""
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    text = str(text_part.get_content()) if text_part is not None else ""
    html = str(html_part.get_content()) if html_part is not None else ""
    files = [
        (part.get_filename() or "attachment", part.get_content_type())
        for part in message.iter_attachments()
    ]
    return text, html, files


def attachment(message: ParsedEmail, index: int) -> tuple[str, str, bytes] | None:
    for position, part in enumerate(message.iter_attachments()):
        if position == index:
            content = part.get_payload(decode=True)
            data = content if isinstance(content, bytes) else b""
            return part.get_filename() or "attachment", part.get_content_type(), data
    return None
