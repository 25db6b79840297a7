"""Polling mailboxes every minute, their health, and alerting admins when one fails.

A mailbox is "failing" from its first error until its next successful fetch. Admins get one
email per incident: when it has failed for ALERT_AFTER, or at once when its credentials are
refused (a password change or a revoked OAuth grant will not heal by waiting).
"""

import logging
import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import OperationalError, transaction
from django.db import connection as database
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import User
from opiekun.channels.email.crypto import SecretUnreadable, encrypt_secret
from opiekun.channels.email.imap import Connection, MailboxError, access_token_for
from opiekun.channels.email.inbound import Delivery, chunks, ingest_many, process_pending
from opiekun.channels.email.limits import Limits, keep_oversized
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.core.emails import send_email
from opiekun.core.files import StorageFailed

logger = logging.getLogger(__name__)

ALERT_AFTER = timedelta(minutes=15)
# At most this many messages per mailbox per run, so one run ends well within its minute.
BATCH = 500


# How long a poll may hold its mailbox's lease (SQLite) before another may take over: well
# beyond a run of BATCH messages, so only a poller that died leaves it behind.
LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class PollResult:
    fetched: int
    waiting: int
    incomplete: int = 0  # not received in full: left unseen, fetched again next time
    skipped: bool = False  # another poller had the mailbox


@contextmanager
def mailbox_lock(mailbox: Mailbox) -> Iterator[bool]:
    """Hold the mailbox for one poller; yields False (holding nothing) when another has it.

    PostgreSQL: a session advisory lock, released at the end or when the process dies.
    SQLite: a lease on the row (`polling_until`, `polling_by` = host, process id and a random
    token), taken by a conditional UPDATE and given back at the end; one left by a poller
    that died is taken over at once when its process is gone from this machine, otherwise
    after LEASE.
    """
    if database.vendor == "postgresql":
        key = _LOCK_SPACE + mailbox.pk
        with database.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            (locked,) = cursor.fetchone()
        if not locked:
            yield False
            return
        try:
            yield True
        finally:
            with database.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    token = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(6)}"
    now = timezone.now()
    free = Q(polling_until__isnull=True) | Q(polling_until__lt=now)
    try:
        holder = Mailbox.objects.filter(pk=mailbox.pk).values_list("polling_by", flat=True)
        if (held_by := holder.first()) and _died(held_by):
            free |= Q(polling_by=held_by)  # killed on this machine: its lease need not lapse
        taken = (
            Mailbox.objects.filter(pk=mailbox.pk)
            .filter(free)
            .update(polling_until=now + LEASE, polling_by=token)
        )
    except OperationalError:
        # The row is being written by the poller that holds it (SQLite answers "locked" once
        # its busy timeout is over, or at once in shared-cache memory): that poller has it.
        taken = 0
    if not taken:
        yield False
        return
    try:
        yield True
    finally:
        Mailbox.objects.filter(pk=mailbox.pk, polling_by=token).update(
            polling_until=None, polling_by=""
        )


def _died(holder: str) -> bool:
    """Whether the lease's poller ran on this machine and its process is gone."""
    host, _sep, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


# Advisory lock keys: this constant plus the mailbox's id (other features pick other spaces).
_LOCK_SPACE = 0x6D61696C << 20


def _sign_in(mailbox: Mailbox) -> Connection:
    if mailbox.auth == Mailbox.Auth.PASSWORD:
        return Connection(mailbox)
    token, rotated = access_token_for(mailbox)
    if rotated:
        mailbox.refresh_token_encrypted = encrypt_secret(rotated)
        mailbox.save(update_fields=["refresh_token_encrypted"])
    return Connection(mailbox, access_token=token)


def _deliveries(
    connection: Connection, uids: list[bytes], mailbox: Mailbox, server_uids: dict[str, bytes]
) -> Iterator[Delivery]:
    limit = Limits.current().message_bytes
    for message in connection.fetch(uids, sizes=connection.sizes(uids), max_bytes=limit):
        if message.spooled is not None:
            # Over the size limit: quarantined with its bytes on disk, then flagged.
            keep_oversized(
                message.spooled,
                mailbox=mailbox,
                source=f"imap:{mailbox.name}",
                imap_uid=message.uid,
            )
            connection.mark_seen(message.imap_uid)
            continue
        server_uids[message.uid] = message.imap_uid
        yield Delivery(raw=message.raw, source=f"imap:{mailbox.name}", imap_uid=message.uid)


def fetch_mailbox(mailbox: Mailbox, *, limit: int = BATCH) -> PollResult:
    """Fetch unseen messages in chunks; each chunk is committed (raw, then processed) before
    its messages are marked \\Seen on the server. Raises MailboxError.

    Only one poller works on a mailbox at a time (`mailbox_lock`): another one that comes
    meanwhile (a second worker, a manual run) skips it and returns `skipped`.
    """
    with mailbox_lock(mailbox) as locked:
        if not locked:
            logger.info("Mailbox %s is being polled by another process; skipped", mailbox.name)
            return PollResult(fetched=0, waiting=0, skipped=True)
        try:
            return _fetch(mailbox, limit=limit)
        except StorageFailed as error:
            # The disk, not the message: nothing is flagged, the messages stay "received" in
            # the database and are processed at the next poll.
            raise MailboxError(
                _("Cannot store attachments: %(error)s") % {"error": error}
            ) from error


def _fetch(mailbox: Mailbox, *, limit: int) -> PollResult:
    process_pending(mailbox=mailbox)
    try:
        connection = _sign_in(mailbox)
    except SecretUnreadable as error:
        raise MailboxError(
            f"Stored secret unreadable (SECRET_KEY changed?): {error}", credentials=True
        ) from error
    try:
        uids = connection.unseen()
        fetched = 0
        server_uids: dict[str, bytes] = {}
        for chunk in chunks(_deliveries(connection, uids[:limit], mailbox, server_uids)):
            ingest_many(chunk, mailbox=mailbox)
            # Only now, after the commit: a crash before this fetches the chunk again.
            for delivery in chunk:
                connection.mark_seen(server_uids.pop(delivery.imap_uid))
            fetched += len(chunk)
        incomplete = len(getattr(connection, "incomplete", []))
        return PollResult(
            fetched=fetched, waiting=max(0, len(uids) - fetched), incomplete=incomplete
        )
    except (OSError, EOFError) as error:
        raise MailboxError(f"Connection lost: {error}") from error
    finally:
        connection.close()


def poll_mailbox(mailbox: Mailbox) -> PollResult | None:
    """Fetch one mailbox and record its health; None when it failed."""
    now = timezone.now()
    try:
        result = fetch_mailbox(mailbox)
    except MailboxError as error:
        record_failure(mailbox, error=str(error), credentials=error.credentials)
        return None
    if result.skipped:
        return result
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_success_at=now,
        messages_waiting=result.waiting,
        messages_incomplete=result.incomplete,
        failing_since=None,
        alerted_at=None,
    )
    return result


@transaction.atomic
def record_failure(mailbox: Mailbox, *, error: str, credentials: bool) -> Mailbox:
    """Note the error; alert admins once per incident (see the module docstring)."""
    now = timezone.now()
    row = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
    row.last_error = error[:5000]
    row.last_error_at = now
    row.failing_since = row.failing_since or now
    due = credentials or now - row.failing_since >= ALERT_AFTER
    fields = ["last_error", "last_error_at", "failing_since"]
    if due and row.alerted_at is None:
        row.alerted_at = now
        fields.append("alerted_at")
        pk = row.pk
        transaction.on_commit(lambda: alert_admins(pk, credentials=credentials))
    row.save(update_fields=fields)
    logger.warning("Mailbox %s failed: %s", row.name, error)
    return row


def alert_admins(mailbox_pk: int, *, credentials: bool) -> int:
    """Email every active admin, in their language, about a failing mailbox (from the task
    queue, after commit); returns how many were told."""
    mailbox = Mailbox.objects.get(pk=mailbox_pk)
    admins = User.objects.filter(
        Q(role=User.Role.ADMIN) | Q(is_superuser=True), is_active=True
    ).exclude(email="")
    context = {
        "mailbox": mailbox,
        "credentials": credentials,
        "since": mailbox.failing_since or timezone.now(),
        "url": f"{settings.SITE_URL}{mailbox.get_absolute_url()}",
    }
    sent = 0
    for admin in admins:
        send_email("mailbox_failing", to=admin.email, language=admin.language, context=context)
        sent += 1
    return sent


def poll_all() -> dict[str, int | None]:
    """Poll every active mailbox; {name: messages fetched, or None on failure}."""
    results: dict[str, int | None] = {}
    for mailbox in Mailbox.objects.filter(is_active=True).select_related("team"):
        result = poll_mailbox(mailbox)
        results[mailbox.name] = result.fetched if result is not None else None
    return results


@task(queue_name="email")
def poll_mailboxes() -> dict[str, int | None]:
    """The periodic job: fetch every active mailbox (safe to run twice)."""
    return poll_all()


def quarantined_count() -> int:
    return InboundMessage.objects.filter(status=InboundMessage.Status.QUARANTINED).count()
