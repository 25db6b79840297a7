"""Limits on received mail: size, MIME parts, nesting depth and attachments.

A message beyond any of them is quarantined with the reason, never parsed into rows, and
its raw bytes are kept. The size is known before the message is read (IMAP RFC822.SIZE, a
file's size, stdin read up to the limit): a message over it is read in pieces straight to a
file (`spool`) and kept on disk (`InboundMessage.raw_file`), never held in memory whole.
Parts and depth are counted by one scan of the raw bytes before parsing (`check_message`),
attachments after it (`check_parsed`). The limits are settings (EMAIL_MAX_MESSAGE_BYTES,
EMAIL_MAX_PARTS, EMAIL_MAX_DEPTH, EMAIL_MAX_ATTACHMENTS; docs/email.md "Limits"), read when
used, so *Process again* after raising one lets a quarantined message through.
"""

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import Team
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.parsing import ParsedMessage

# Read and write large messages in pieces of this size.
PIECE = 1024 * 1024
HEAD = 65536

# Where a part begins or ends, and where a multipart container declares its boundary; one
# regular-expression pass over the bytes, so the check costs next to nothing.
_EVENTS = re.compile(
    rb"^(?:content-type:[ \t]*multipart/([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)|--([^\r\n]{1,250}))",
    re.IGNORECASE | re.MULTILINE,
)
_BOUNDARY = re.compile(rb'boundary[ \t]*=[ \t]*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))', re.I)


class LimitExceeded(ValueError):
    """The message is beyond a limit; the text says which, and the setting that sets it."""


@dataclass(frozen=True)
class Limits:
    message_bytes: int
    parts: int
    depth: int
    attachments: int

    @classmethod
    def current(cls) -> "Limits":
        return cls(
            message_bytes=settings.EMAIL_MAX_MESSAGE_BYTES,
            parts=settings.EMAIL_MAX_PARTS,
            depth=settings.EMAIL_MAX_DEPTH,
            attachments=settings.EMAIL_MAX_ATTACHMENTS,
        )


def size_reason(size: int, limits: Limits | None = None) -> str:
    """Why a message of `size` bytes is refused, or "" when it is within the limit."""
    limits = limits or Limits.current()
    if size <= limits.message_bytes:
        return ""
    return _(
        "The message is %(size)s bytes, over the limit of %(limit)s (EMAIL_MAX_MESSAGE_BYTES)."
    ) % {"size": f"{size:,}", "limit": f"{limits.message_bytes:,}"}


def structure(raw: bytes, *, stop_parts: int = 0, stop_depth: int = 0) -> tuple[int, int]:
    """(MIME parts, deepest multipart nesting) of a raw message, counted without parsing;
    stops counting once past `stop_parts` or `stop_depth` (when given)."""
    open_boundaries: list[bytes] = []
    parts = depth = 0
    for match in _EVENTS.finditer(raw):
        params, line = match.group(1), match.group(2)
        if params is not None:
            found = _BOUNDARY.search(params)
            if found:
                open_boundaries.append(found.group(1) or found.group(2))
                depth = max(depth, len(open_boundaries))
                if stop_depth and depth > stop_depth:
                    break
            continue
        line = line.rstrip(b" \t\r")
        closing = line.endswith(b"--") and line[:-2] in open_boundaries
        boundary = line[:-2] if closing else line
        if boundary not in open_boundaries:
            continue  # an ordinary line that starts with "--"
        while open_boundaries[-1] != boundary:
            open_boundaries.pop()  # an inner container left without its closing line
        if closing:
            open_boundaries.pop()
        else:
            parts += 1
            if stop_parts and parts > stop_parts:
                break
    return parts, depth


def check_message(raw: bytes, limits: Limits | None = None) -> None:
    """Raise LimitExceeded when the raw message is too large, too deep or in too many parts."""
    limits = limits or Limits.current()
    reason = size_reason(len(raw), limits)
    if reason:
        raise LimitExceeded(reason)
    parts, depth = structure(raw, stop_parts=limits.parts, stop_depth=limits.depth)
    if depth > limits.depth:
        raise LimitExceeded(
            _("The message nests more than %(limit)s levels of parts (EMAIL_MAX_DEPTH).")
            % {"limit": limits.depth}
        )
    if parts > limits.parts:
        raise LimitExceeded(
            _("The message has more than %(limit)s parts (EMAIL_MAX_PARTS).")
            % {"limit": limits.parts}
        )


def check_parsed(parsed: ParsedMessage, limits: Limits | None = None) -> None:
    """Raise LimitExceeded when the parsed message has too many attachments."""
    limits = limits or Limits.current()
    if len(parsed.attachments) > limits.attachments:
        raise LimitExceeded(
            _(
                "The message has %(count)s attachments, over the limit of %(limit)s "
                "(EMAIL_MAX_ATTACHMENTS)."
            )
            % {"count": len(parsed.attachments), "limit": limits.attachments}
        )


# ----------------------------------------------------------------------------- on disk


@dataclass(frozen=True)
class Spooled:
    """A raw message written to a temporary file, with what we need to know of it."""

    path: Path
    size: int
    sha256: str
    head: bytes  # the first HEAD bytes, to find the Message-ID

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def spool(pieces: Iterable[bytes]) -> Spooled:
    """Write pieces of a message to a temporary file (one piece in memory at a time)."""
    digest = hashlib.sha256()
    head = b""
    size = 0
    descriptor, name = tempfile.mkstemp(prefix="opiekun-mail-", suffix=".eml")
    path = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for piece in pieces:
                if len(head) < HEAD:
                    head += piece[: HEAD - len(head)]
                digest.update(piece)
                handle.write(piece)
                size += len(piece)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return Spooled(path=path, size=size, sha256=digest.hexdigest(), head=head)


class Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


def read_limited(stream: Readable, limits: Limits | None = None) -> bytes | Spooled:
    """A whole stream: its bytes when within the size limit, else spooled to a file."""
    limits = limits or Limits.current()
    kept = bytearray()
    while len(kept) <= limits.message_bytes:
        piece = stream.read(PIECE)
        if not piece:
            return bytes(kept)
        kept += piece

    def rest() -> Iterable[bytes]:
        yield bytes(kept)
        kept.clear()
        while piece := stream.read(PIECE):
            yield piece

    return spool(rest())


def read_file(path: Path, limits: Limits | None = None) -> bytes | Spooled:
    """A message file: its bytes when within the size limit, else a copy spooled in pieces."""
    limits = limits or Limits.current()
    if path.stat().st_size <= limits.message_bytes:
        return path.read_bytes()
    with path.open("rb") as handle:
        return spool(iter(lambda: handle.read(PIECE), b""))


def keep_oversized(
    spooled: Spooled,
    *,
    mailbox: Mailbox | None = None,
    team: Team | None = None,
    source: str = "",
    imap_uid: str = "",
) -> InboundMessage:
    """Quarantine a message over the size limit, its bytes moved to storage, not memory.
    A message fetched again from the same IMAP UID returns the row stored the first time."""
    from opiekun.channels.email.inbound import _peek_message_id  # inbound imports this module

    try:
        if imap_uid and mailbox is not None:
            known = InboundMessage.objects.filter(mailbox=mailbox, imap_uid=imap_uid).first()
            if known is not None:
                return known
        now = timezone.now()
        row = InboundMessage(
            mailbox=mailbox,
            team=team or (mailbox.team if mailbox else None),
            raw=b"",
            size=spooled.size,
            sha256=spooled.sha256,
            message_id=_peek_message_id(spooled.head),
            source=source[:255],
            imap_uid=imap_uid,
            status=InboundMessage.Status.QUARANTINED,
            error=size_reason(spooled.size) or _("Over the size limit when received."),
            received_at=now,
            processed_at=now,
        )
        with spooled.path.open("rb") as handle:
            row.raw_file.save(f"{spooled.sha256}.eml", File(handle), save=False)
        try:
            with transaction.atomic():
                row.save()
        except BaseException:
            row.raw_file.delete(save=False)
            raise
        return row
    finally:
        spooled.discard()


def stored_raw(row: InboundMessage) -> bytes:
    """The raw bytes of a stored message, for processing it (again). One kept on disk because
    it was over the size limit stays there while it still is (LimitExceeded)."""
    if row.raw_file:
        reason = size_reason(row.size)
        if reason:
            raise LimitExceeded(reason)
        with row.raw_file.open("rb") as handle:
            return bytes(handle.read())
    return bytes(InboundMessage.objects.values_list("raw", flat=True).get(pk=row.pk))
