"""kill -9 the poller at random moments while it fetches 1,000 messages from Dovecot; after
restarts, every message is on a case exactly once.

Runs in subprocesses on a SQLite file of its own (whatever database the suite uses), since
the processes must share a database that outlives them."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from opiekun.channels.email.tests.dovecot import PASSWORD, USER, Dovecot

ROOT = Path(__file__).resolve().parents[4]
COUNT = 1000
KILLS = 8

SETUP = f"""
import django
django.setup()
from opiekun.accounts.models import Team
from opiekun.channels.email.crypto import encrypt_secret
from opiekun.channels.email.models import Mailbox
team = Team.objects.create(name="Support", email="support@example.com")
Mailbox.objects.create(
    name="Support", team=team, host="127.0.0.1", port=int(__import__("sys").argv[1]),
    security="none", username={USER!r}, password_encrypted=encrypt_secret({PASSWORD!r}),
)
"""

POLL = """
import django
django.setup()
from opiekun.channels.email.models import Mailbox
from opiekun.channels.email.polling import fetch_mailbox
mailbox = Mailbox.objects.get(name="Support")
while True:
    result = fetch_mailbox(mailbox, limit=100)
    if not result.skipped and result.fetched == 0 and result.waiting == 0:
        break
"""


def _message(number: int) -> bytes:
    return (
        f"From: Klient {number} <klient{number % 97}@example.pl>\r\n"
        f"To: support@example.com\r\nSubject: Awaria {number}\r\n"
        f"Message-ID: <crash{number}@example.pl>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Zgłoszenie numer {number}: urządzenie nie działa.\r\n"
    ).encode()


def _python(code: str, *args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own code
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_killed_poller_loses_and_doubles_nothing(imap: Dovecot, tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL"}}
    env.update(
        OPIEKUN_TESTING="1",
        SQLITE_PATH=str(tmp_path / "crash.sqlite3"),
        OPIEKUN_VAR_DIR=str(tmp_path),
        MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_SETTINGS_MODULE="opiekun.settings",
    )
    for command in ("migrate", "createcachetable"):
        subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "opiekun", command, "-v0"], cwd=ROOT, env=env, check=True
        )
    assert _python(SETUP, str(imap.port), env=env).wait(timeout=60) == 0
    imap.append(*(_message(number) for number in range(COUNT)))
    randomness = random.Random(20260323)
    kills = 0
    # Kill the poller at random moments a fixed number of times (however slow the machine,
    # the test does not race a clock), then always let one run finish: a complete poll.
    for _ in range(KILLS):
        poller = _python(POLL, env=env)
        try:
            poller.wait(timeout=randomness.uniform(0.3, 1.2))
        except subprocess.TimeoutExpired:
            poller.send_signal(signal.SIGKILL)
            poller.wait()
            kills += 1
            continue
        assert poller.returncode == 0, poller.stderr.read() if poller.stderr else b""
        break
    final = _python(POLL, env=env)
    _stdout, stderr = final.communicate()  # no timeout: it ends when the mailbox is empty
    assert final.returncode == 0, stderr

    database = sqlite3.connect(tmp_path / "crash.sqlite3")
    interactions = database.execute(
        "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM cases_interaction"
    ).fetchone()
    statuses = dict(
        database.execute("SELECT status, COUNT(*) FROM email_inboundmessage GROUP BY status")
    )
    database.close()
    print(f"poller killed {kills} times")  # how hard the test was, not a verdict
    assert interactions == (COUNT, COUNT)
    assert statuses == {"processed": COUNT}
    assert imap.unseen_count() == 0
