"""Polling mailboxes every minute, their health, and alerting admins when one fails.

A mailbox is "failing" from its first error until its next successful fetch. Admins get one
email per incident: when it has failed for ALERT_AFTER, or at once when its credentials are
refused (a password change or a revoked OAuth grant will not heal by waiting).
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from opiekun.accounts.models import User
from opiekun.channels.email.crypto import SecretUnreadable, encrypt_secret
from opiekun.channels.email.imap import Connection, MailboxError, access_token_for
from opiekun.channels.email.inbound import Delivery, chunks, ingest_many, process_pending
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.core.emails import send_email

logger = logging.getLogger(__name__)

ALERT_AFTER = timedelta(minutes=15)
# At most this many messages per mailbox per run, so one run ends well within its minute.
BATCH = 500


@dataclass(frozen=True)
class PollResult:
    fetched: int
    waiting: int


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
    for message in connection.fetch(uids):
        server_uids[message.uid] = message.imap_uid
        yield Delivery(raw=message.raw, source=f"imap:{mailbox.name}", imap_uid=message.uid)


def fetch_mailbox(mailbox: Mailbox, *, limit: int = BATCH) -> PollResult:
    """Fetch unseen messages in chunks; each chunk is committed (raw, then processed) before
    its messages are marked \\Seen on the server. Raises MailboxError."""
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
        return PollResult(fetched=fetched, waiting=max(0, len(uids) - fetched))
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
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_success_at=now, messages_waiting=result.waiting, failing_since=None, alerted_at=None
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
