"""Two pollers on one mailbox (two workers, a worker and a manual run): one polls, the other
skips it; never an IntegrityError, never a message twice. Runs on SQLite (a lease on the row)
and PostgreSQL (an advisory lock), each poller in a thread with its own connection."""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from opiekun.cases.models import Interaction
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.polling import PollResult, mailbox_lock, poll_mailbox
from opiekun.channels.email.tests.dovecot import Dovecot

pytestmark = pytest.mark.django_db(transaction=True)


def _message(number: int) -> bytes:
    return (
        f"From: Klient {number} <klient{number}@example.pl>\r\nTo: support@example.com\r\n"
        f"Subject: Sprawa {number}\r\nMessage-ID: <lock{number}@example.pl>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nTreść.\r\n"
    ).encode()


def _in_thread(work: Callable[[], Any]) -> threading.Thread:
    def run() -> None:
        try:
            outcomes.append(work())
        except BaseException as error:  # reported by the test
            outcomes.append(error)
        finally:
            connection.close()

    outcomes: list[Any] = []
    thread = threading.Thread(target=run)
    thread.outcomes = outcomes  # type: ignore[attr-defined]
    thread.start()
    return thread


def test_second_poller_skips_a_mailbox_being_polled(imap: Dovecot, mailbox: Mailbox) -> None:
    imap.append(_message(1))

    with mailbox_lock(mailbox) as locked:
        assert locked
        other = _in_thread(lambda: poll_mailbox(Mailbox.objects.get(pk=mailbox.pk)))
        other.join()
    (result,) = other.outcomes  # type: ignore[attr-defined]

    assert result == PollResult(fetched=0, waiting=0, skipped=True)
    assert InboundMessage.objects.count() == 0
    assert imap.unseen_count() == 1
    mailbox.refresh_from_db()
    assert mailbox.last_success_at is None  # a skipped poll says nothing about health

    # Released: the next poll takes it.
    again = poll_mailbox(mailbox)
    assert again is not None
    assert again.fetched == 1


def test_two_pollers_at_once_take_each_message_once(imap: Dovecot, mailbox: Mailbox) -> None:
    imap.append(*(_message(number) for number in range(40)))
    start = threading.Barrier(2)

    def poll() -> PollResult | None:
        row = Mailbox.objects.get(pk=mailbox.pk)
        start.wait()
        return poll_mailbox(row)

    threads = [_in_thread(poll) for _ in range(2)]
    for thread in threads:
        thread.join()
    results = [thread.outcomes[0] for thread in threads]  # type: ignore[attr-defined]

    assert not [result for result in results if isinstance(result, BaseException)]
    assert all(result is not None for result in results)
    assert sum(result.fetched for result in results) == 40
    assert Interaction.objects.count() == 40
    assert InboundMessage.objects.filter(status=InboundMessage.Status.PROCESSED).count() == 40
    assert imap.unseen_count() == 0


def test_a_lease_left_by_a_dead_poller_lapses(imap: Dovecot, mailbox: Mailbox) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL releases an advisory lock when its session ends")
    from datetime import timedelta

    from django.utils import timezone

    Mailbox.objects.filter(pk=mailbox.pk).update(
        polling_until=timezone.now() - timedelta(seconds=1), polling_by="dead"
    )
    imap.append(_message(1))

    result = poll_mailbox(mailbox)

    assert result is not None
    assert result.fetched == 1


def test_a_lease_of_a_killed_poller_on_this_machine_is_taken_over_at_once(
    imap: Dovecot, mailbox: Mailbox
) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL releases an advisory lock when its session ends")
    import socket
    import subprocess
    import sys
    from datetime import timedelta

    from django.utils import timezone

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.strip()
    Mailbox.objects.filter(pk=mailbox.pk).update(
        polling_until=timezone.now() + timedelta(minutes=5),
        polling_by=f"{socket.gethostname()[:40]}:{gone}:abc",
    )
    imap.append(_message(1))

    result = poll_mailbox(mailbox)

    assert result is not None
    assert result.fetched == 1
