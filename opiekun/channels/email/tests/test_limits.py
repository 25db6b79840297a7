"""Limits on received mail (limits.py): size, parts, nesting depth, attachments; a message
beyond one is quarantined with the reason and its raw bytes are kept, a large one on disk and
never whole in memory. And attachment names: no bidirectional tricks, extensions kept."""

import io
import mailbox
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Attachment, Interaction
from opiekun.channels.email import limits
from opiekun.channels.email.inbound import ingest, retry_quarantined
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.polling import poll_mailbox
from opiekun.channels.email.tests.dovecot import Dovecot
from opiekun.core.files import real_extension, safe_filename

pytestmark = pytest.mark.django_db

HEAD = (
    "From: Klient <klient@example.pl>\r\nTo: support@example.com\r\nSubject: Faktura\r\n"
    "Message-ID: <{id}@example.pl>\r\nMIME-Version: 1.0\r\n"
)


def _with_parts(count: int, *, message_id: str = "parts") -> bytes:
    parts = "".join(
        f"--b\r\nContent-Type: text/plain\r\n\r\nczęść {number}\r\n" for number in range(count)
    )
    return (
        HEAD.format(id=message_id)
        + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        + parts
        + "--b--\r\n"
    ).encode()


def _nested(depth: int) -> bytes:
    body = "Content-Type: text/plain\r\n\r\nśrodek\r\n"
    for level in range(depth, 0, -1):
        body = (
            f'Content-Type: multipart/mixed; boundary="n{level}"\r\n\r\n'
            f"--n{level}\r\n{body}--n{level}--\r\n"
        )
    return (HEAD.format(id="deep") + body).encode()


def _with_attachments(names: list[str], *, message_id: str = "files") -> bytes:
    parts = "".join(
        "--b\r\nContent-Type: application/octet-stream\r\n"
        f'Content-Disposition: attachment; filename="{name}"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n"
        for name in names
    )
    return (
        HEAD.format(id=message_id)
        + 'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        + "Content-Type: text/plain; charset=utf-8\r\n\r\nW załączniku.\r\n"
        + parts
        + "--b--\r\n"
    ).encode("utf-8")


def _big(size: int) -> bytes:
    line = b"x" * 998 + b"\r\n"
    return HEAD.format(id="big").encode() + b"\r\n" + line * (size // len(line))


# ----------------------------------------------------------------------------- counting


def test_structure_counts_parts_and_depth_without_parsing() -> None:
    assert limits.structure(_with_parts(3)) == (3, 1)
    assert limits.structure(_nested(5)) == (5, 5)
    # Lines that merely start with "--" (a signature, a boundary nobody declared) are text.
    text = HEAD.format(id="t").encode() + b"\r\n-- \r\nAnna\r\n--b\r\n"
    assert limits.structure(text) == (0, 0)


def test_many_parts_are_quarantined_not_turned_into_rows(team_a: Team) -> None:
    raw = _with_parts(2000)

    outcome = ingest(raw, team=team_a)

    row = InboundMessage.objects.get()
    assert outcome.status == InboundMessage.Status.QUARANTINED
    assert "EMAIL_MAX_PARTS" in row.error
    assert bytes(row.raw) == raw
    assert Attachment.objects.count() == 0
    assert Interaction.objects.count() == 0


def test_deep_nesting_is_quarantined(team_a: Team) -> None:
    ingest(_nested(50), team=team_a)

    row = InboundMessage.objects.get()
    assert row.status == InboundMessage.Status.QUARANTINED
    assert "EMAIL_MAX_DEPTH" in row.error


def test_too_many_attachments_quarantined_and_let_through_once_the_limit_is_raised(
    team_a: Team, settings: Settings
) -> None:
    settings.EMAIL_MAX_ATTACHMENTS = 3
    ingest(_with_attachments([f"plik{number}.pdf" for number in range(5)]), team=team_a)
    row = InboundMessage.objects.get()
    assert row.status == InboundMessage.Status.QUARANTINED
    assert "EMAIL_MAX_ATTACHMENTS" in row.error

    settings.EMAIL_MAX_ATTACHMENTS = 10
    outcome = retry_quarantined(row)

    assert outcome.status == InboundMessage.Status.PROCESSED
    assert Attachment.objects.count() == 5


def test_message_within_the_limits_goes_through(team_a: Team) -> None:
    assert ingest(_with_parts(20), team=team_a).status == InboundMessage.Status.PROCESSED


# ----------------------------------------------------------------------------- size


def test_oversized_message_on_stdin_is_kept_on_disk_and_quarantined(
    team_a: Team, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.EMAIL_MAX_MESSAGE_BYTES = 50_000
    raw = _big(200_000)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))

    call_command("ingest_mail", "-", team=team_a.name, stdout=io.StringIO(), stderr=io.StringIO())

    row = InboundMessage.objects.get()
    assert row.status == InboundMessage.Status.QUARANTINED
    assert "EMAIL_MAX_MESSAGE_BYTES" in row.error
    assert bytes(row.raw) == b""
    assert row.size == len(raw)
    assert row.message_id == "<big@example.pl>"
    with row.raw_file.open("rb") as handle:
        assert handle.read() == raw
    # Still over the limit: Process again leaves it where it is, without reading it.
    assert retry_quarantined(row).status == InboundMessage.Status.QUARANTINED


def test_oversized_file_is_quarantined_and_downloadable(
    team_a: Team, settings: Settings, tmp_path: Path, client: Client, admin_user: User
) -> None:
    settings.EMAIL_MAX_MESSAGE_BYTES = 50_000
    raw = _big(120_000)
    (tmp_path / "big.eml").write_bytes(raw)
    (tmp_path / "small.eml").write_bytes(_with_parts(2, message_id="small"))

    call_command(
        "ingest_mail", str(tmp_path), team=team_a.name, stdout=io.StringIO(), stderr=io.StringIO()
    )

    statuses = dict(InboundMessage.objects.values_list("message_id", "status"))
    assert statuses == {
        "<big@example.pl>": InboundMessage.Status.QUARANTINED,
        "<small@example.pl>": InboundMessage.Status.PROCESSED,
    }
    row = InboundMessage.objects.get(message_id="<big@example.pl>")
    client.force_login(admin_user)
    response = client.get(f"/email/quarantine/{row.pk}/raw/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == raw  # type: ignore[attr-defined]


@pytest.mark.parametrize("kind", ["mbox", "maildir"])
def test_oversized_message_inside_an_archive_is_spooled_not_read(
    team_a: Team, settings: Settings, tmp_path: Path, kind: str
) -> None:
    settings.EMAIL_MAX_MESSAGE_BYTES = 50_000
    raw = _big(3 * limits.PIECE + 777)
    small = _with_parts(2, message_id="small")
    path = tmp_path / kind
    archive = mailbox.mbox(path) if kind == "mbox" else mailbox.Maildir(path)
    for message in (raw, small):
        archive.add(message)
    archive.close()

    call_command(
        "ingest_mail", str(path), team=team_a.name, stdout=io.StringIO(), stderr=io.StringIO()
    )

    statuses = dict(InboundMessage.objects.values_list("message_id", "status"))
    assert statuses == {
        "<big@example.pl>": InboundMessage.Status.QUARANTINED,
        "<small@example.pl>": InboundMessage.Status.PROCESSED,
    }
    row = InboundMessage.objects.get(message_id="<big@example.pl>")
    assert bytes(row.raw) == b""
    with row.raw_file.open("rb") as handle:
        kept = handle.read()
    assert kept.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")  # archives keep LF


def test_oversized_imap_message_is_read_in_pieces_quarantined_and_flagged(
    imap: Dovecot, mailbox: Mailbox, settings: Settings
) -> None:
    settings.EMAIL_MAX_MESSAGE_BYTES = 50_000
    raw = _big(3 * limits.PIECE + 12345)
    imap.append(raw, _with_parts(2, message_id="small"))

    result = poll_mailbox(mailbox)

    assert result is not None
    row = InboundMessage.objects.get(message_id="<big@example.pl>")
    assert row.status == InboundMessage.Status.QUARANTINED
    with row.raw_file.open("rb") as handle:
        assert handle.read() == raw
    assert InboundMessage.objects.get(message_id="<small@example.pl>").status == "processed"
    assert imap.unseen_count() == 0


def test_a_100_mb_message_is_never_held_in_memory(
    team_a: Team, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "huge.eml"
    line = b"y" * 998 + b"\r\n"
    with path.open("wb") as handle:
        handle.write(HEAD.format(id="huge").encode() + b"\r\n")
        for _ in range(100):
            handle.write(line * 1048)  # about 1 MB
    size = path.stat().st_size
    assert size > 100_000_000

    tracemalloc.start()
    try:
        call_command(
            "ingest_mail", str(path), team=team_a.name, stdout=io.StringIO(), stderr=io.StringIO()
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    row = InboundMessage.objects.get()
    assert row.status == InboundMessage.Status.QUARANTINED
    assert row.raw_file.size == size
    assert peak < 300 * 1024 * 1024


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("a\u200bb\u2066c\u2069.pdf", "abc.pdf"),
        ("..\\..\\etc/passwd", "passwd"),
        ("\u202e", "attachment"),
        ("x" * 300 + ".docx", "x" * 195 + ".docx"),
        ("y" * 300, "y" * 200),
    ],
)
def test_safe_filename(given: str, kept: str) -> None:
    assert safe_filename(given) == kept


def test_real_extension() -> None:
    assert real_extension("invoice\u202efdp.exe") == "exe"
    assert real_extension("raport") == ""


def test_received_attachment_shows_its_real_name_and_extension(
    team_a: Team, client: Client, agent_ann: User
) -> None:
    ingest(_with_attachments(["invoice\u202efdp.exe", "r" * 300 + ".pdf"]), team=team_a)
    names = sorted(Attachment.objects.values_list("filename", flat=True))
    assert names == ["invoicefdp.exe", "r" * 196 + ".pdf"]

    client.force_login(agent_ann)
    case = Interaction.objects.get().case
    page = client.get(case.get_absolute_url()).content.decode()

    assert "invoicefdp.exe" in page
    assert ">.exe</span>" in page
    assert "\u202e" not in page
