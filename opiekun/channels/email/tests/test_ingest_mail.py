import io
import json
import mailbox as mailbox_module
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from opiekun.accounts.models import Team
from opiekun.cases.models import Case, Interaction
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.tests.dovecot import free_port

ROOT = Path(__file__).resolve().parents[4]


def _raw(number: int, *, subject: str = "Sprawa") -> bytes:
    return (
        f"From: klient{number}@example.pl\r\nSubject: {subject} {number}\r\n"
        f"Message-ID: <n{number}@example.pl>\r\n\r\nTreść {number}\r\n"
    ).encode()


def _run(*args: str) -> dict[str, int]:
    out = io.StringIO()
    call_command("ingest_mail", *args, stdout=out, stderr=io.StringIO())
    summary: dict[str, int] = json.loads(out.getvalue().strip().splitlines()[-1])
    return summary


def test_files_directories_mbox_and_maildir(tmp_path: Path, team_a: Team) -> None:
    (tmp_path / "one.eml").write_bytes(_raw(1))
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "two.eml").write_bytes(_raw(2))
    (folder / "again.eml").write_bytes(_raw(1))
    box = mailbox_module.mbox(tmp_path / "archive.mbox")
    box.add(_raw(3))
    box.add(_raw(4))
    box.close()
    maildir = mailbox_module.Maildir(tmp_path / "Maildir")
    maildir.add(_raw(5))
    maildir.close()

    summary = _run(
        str(tmp_path / "one.eml"),
        str(folder),
        str(tmp_path / "archive.mbox"),
        str(tmp_path / "Maildir"),
        "--team",
        "Team A",
    )

    assert summary == {
        "received": 6,
        "cases_created": 5,
        "appended": 0,
        "duplicates": 1,
        "quarantined": 0,
    }
    assert Case.objects.filter(team=team_a).count() == 5


def test_stdin_message_for_a_mailbox(team_a: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    Mailbox.objects.create(name="Support", team=team_a, host="imap.example.com", username="u")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_raw(1))))

    summary = _run("-", "--mailbox", "Support")

    inbound = InboundMessage.objects.get()
    assert summary["cases_created"] == 1
    assert inbound.mailbox is not None
    assert inbound.mailbox.name == "Support"
    assert inbound.source == "stdin"


def test_retry_quarantined(team_a: Team, tmp_path: Path) -> None:
    (tmp_path / "one.eml").write_bytes(_raw(1))
    _run(str(tmp_path / "one.eml"), "--team", "Team A")
    InboundMessage.objects.update(status=InboundMessage.Status.QUARANTINED, interaction=None)
    Interaction.objects.all().delete()

    summary = _run("--retry-quarantined")

    assert summary == {
        "received": 1,
        "cases_created": 1,
        "appended": 0,
        "duplicates": 0,
        "quarantined": 0,
    }
    assert Interaction.objects.count() == 1


def test_missing_file_is_an_io_error(team_a: Team, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        call_command("ingest_mail", str(tmp_path / "nope.eml"), stderr=io.StringIO())

    assert exited.value.code == 74
    assert InboundMessage.objects.count() == 0


def test_unknown_mailbox_is_a_usage_error(db: None) -> None:
    with pytest.raises(SystemExit) as exited:
        call_command("ingest_mail", "-", "--mailbox", "Nope", stderr=io.StringIO())

    assert exited.value.code == 64


def _command(stdin: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "opiekun", "ingest_mail", "-"],
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "OPIEKUN_TESTING": "1", **env},
        timeout=60,
        check=False,
    )


def test_empty_stdin_exits_dataerr() -> None:
    result = _command(b"")

    assert result.returncode == 65
    assert result.stdout == b""


def test_unavailable_database_exits_tempfail() -> None:
    closed = f"postgres://postgres@127.0.0.1:{free_port()}/opiekun"

    result = _command(_raw(1), DATABASE_URL=closed)

    assert result.returncode == 75
    assert b"Database unavailable" in result.stderr
