"""An incoming email → an interaction on a case.

Order of work, so that nothing is lost and nothing is done twice:
1. `store_raw_many` commits the raw bytes (an `InboundMessage` with status "received") before
   anything is parsed;
2. `process_many` parses them and, in one transaction, writes for each message the customer,
   the case, the interaction and its attachments and marks its row "processed" — or, when the
   same message (same Message-ID and bytes) was stored and processed or quarantined before,
   "duplicate". The chunk is
   written together first (`together.py`: new customers and new cases in one statement per
   table); if anything fails, that is undone and the messages are taken one by one, each in
   its own savepoint, so a failure undoes that message alone and marks its row "quarantined"
   with the error, raw bytes kept for `retry_quarantined`;
3. the caller (IMAP poller, `opiekun ingest_mail`) acknowledges the source only after that.

Messages go through in chunks (`CHUNK`, e.g. one IMAP fetch or a hundred files): two commits,
a handful of lookups and one insert per table per chunk instead of per message.
`store_raw`, `process_message` and `ingest` are the same steps for one message.

Conventions the desk relies on (Interaction.meta): "auto" = kind of robot mail ("auto_reply",
"auto_generated", "bounce", "complaint", "list", "bulk"); "quote_start" = offset in body_text
where quoted history starts (in body_html it is inside <blockquote>); "from", "to", "cc";
"forwarded_by" = the staff address that forwarded a customer's mail; "inbound_message" = pk;
"reply_to", "not_participant", "refers_to", "forged_reference", "sender_is": what threading
could not trust (threading.py, together.py, docs/email.md "How threading decides").
"""

import logging
import re
import time
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import InterfaceError, OperationalError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Attachment, Case, Channel, Interaction
from opiekun.cases.services import (
    AttachmentTooLarge,
    Contact,
    CustomerMessage,
    bring_in,
    mark_delivery,
    store_attachment,
)
from opiekun.channels.email import limits
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.ours import kind_of_sender, our_addresses, staff_addresses
from opiekun.channels.email.parsing import (
    ACTIVE_TYPES,
    BOUNCE,
    ParsedMessage,
    derived_message_id,
    message_identity,
    parse_message,
)
from opiekun.core.files import StorageFailed, remove_quietly
from opiekun.core.sanitise import sanitise_html
from opiekun.customers.models import Customer, Identity
from opiekun.customers.services import (
    WEAK_PROOFS,
    InvalidIdentity,
    create_customer,
    find_or_create_customer,
    normalise_email,
)

logger = logging.getLogger(__name__)

_CID_SRC = re.compile(r"""(src=")cid:([^"]+)(")""", re.IGNORECASE)


class Unroutable(ValueError):
    """The message can be read but not turned into an interaction (no sender, no team)."""


@dataclass(frozen=True)
class Outcome:
    status: str
    case_created: bool = False


def message_digest(raw: bytes) -> str:
    """What duplicates are recognised by (`InboundMessage.sha256`): the SHA-256 of what the
    author wrote, not of the bytes, so a copy with other trace headers is the same message
    (`parsing.message_identity`)."""
    return message_identity(raw)[1]


def _peek_message_id(raw: bytes) -> str:
    # Read before parsing, so even a message that cannot be parsed is findable by its id; read
    # as the parser reads it (a folded header too), so a second import finds the first.
    return message_identity(raw)[0]


# Messages per chunk: large enough to share the commits, small enough to hold in memory.
CHUNK = 100
CHUNK_BYTES = 32 * 1024 * 1024
CHUNK_SECONDS = 1.0


@dataclass(frozen=True)
class Delivery:
    """One message as it arrived, and from where."""

    raw: bytes
    source: str = ""
    imap_uid: str = ""


def store_raw_many(
    deliveries: Sequence[Delivery], *, mailbox: Mailbox | None = None, team: Team | None = None
) -> list[InboundMessage]:
    """Commit the raw messages, in one transaction, before anything else. A message fetched
    again from the same IMAP UID returns the row stored the first time."""
    team = team or (mailbox.team if mailbox else None)
    with transaction.atomic():
        known: dict[str, InboundMessage] = {}
        uids = [delivery.imap_uid for delivery in deliveries if delivery.imap_uid]
        if uids and mailbox is not None:
            known = {
                row.imap_uid: row
                for row in InboundMessage.objects.filter(mailbox=mailbox, imap_uid__in=uids)
            }
        new: list[InboundMessage] = []
        rows: list[InboundMessage] = []
        for delivery in deliveries:
            if delivery.imap_uid and delivery.imap_uid in known:
                rows.append(known[delivery.imap_uid])
                continue
            message_id, digest = message_identity(delivery.raw)
            row = InboundMessage(
                mailbox=mailbox,
                team=team,
                raw=delivery.raw,
                size=len(delivery.raw),
                sha256=digest,
                # Without one, an id from the content: every copy of the message gets the same.
                message_id=message_id or derived_message_id(digest),
                source=delivery.source[:255],
                imap_uid=delivery.imap_uid,
            )
            new.append(row)
            rows.append(row)
            if delivery.imap_uid:
                known[delivery.imap_uid] = row
        InboundMessage.objects.bulk_create(new)
    return rows


def store_raw(
    raw: bytes,
    *,
    mailbox: Mailbox | None = None,
    team: Team | None = None,
    source: str = "",
    imap_uid: str = "",
) -> InboundMessage:
    """`store_raw_many` for one message."""
    delivery = Delivery(raw=raw, source=source, imap_uid=imap_uid)
    return store_raw_many([delivery], mailbox=mailbox, team=team)[0]


def _staff_address(address: str) -> bool:
    return User.objects.filter(email__iexact=address, is_active=True).exists()


def _sender(parsed: ParsedMessage) -> tuple[str, str, str]:
    """(name, address, forwarded_by): mail an agent forwarded is the original sender's."""
    if parsed.forwarded_from is not None and parsed.from_addr and _staff_address(parsed.from_addr):
        name, addr = parsed.forwarded_from
        return name, addr, parsed.from_addr.lower()
    return parsed.from_name, parsed.from_addr, ""


@dataclass(frozen=True)
class Sender:
    name: str
    address: str  # as written, lower case, shown on the timeline; "" when none is usable
    identity: str  # the address normalised, to match a customer; "" when none is usable
    forwarded_by: str
    fallback_name: str  # for a customer with no usable address


def who_wrote(parsed: ParsedMessage) -> Sender:
    name, addr, forwarded_by = _sender(parsed)
    # From only: Reply-To says where answers go, and anyone may write any address there.
    if addr:
        try:
            identity = normalise_email(addr)
        except InvalidIdentity:
            pass
        else:
            return Sender(name[:200], addr.lower(), identity, forwarded_by, "")
    fallback = (name or addr or _("Unknown sender"))[:200]
    return Sender(name[:200], "", "", forwarded_by, fallback)


def sender_customer(sender: Sender, *, language: str, known: dict[str, Customer]) -> Customer:
    """The sender's customer, found or created; `known` holds the chunk's senders by address."""
    if not sender.identity:
        # Kept, not refused: the case shows who wrote, and an agent can add the right identity.
        return create_customer(name=sender.fallback_name, language=language)
    customer = known.get(sender.identity)
    if customer is None or (sender.name and not customer.name):
        customer = find_or_create_customer(
            email=sender.identity,
            name=sender.name,
            language=language,
            proof=Identity.Proof.CONTACT,
            channel=Channel.EMAIL,
        )
        known[sender.identity] = customer
    return customer


def _bounce_originals(parsed: ParsedMessage) -> list[Interaction]:
    if not parsed.bounced_ids:
        return []
    return list(
        Interaction.objects.select_related("case", "case__team", "case__customer").filter(
            external_id__in=parsed.bounced_ids, direction=Interaction.Direction.OUTBOUND
        )
    )


def _rewrite_cids(body_html: str, case: Case, attachments: dict[str, Attachment]) -> str:
    def replace(match: re.Match[str]) -> str:
        attachment = attachments.get(match.group(2).strip("<>").lower())
        if attachment is None:
            return f"{match.group(1)}{match.group(3)}"
        try:
            url = reverse("cases:attachment", args=[case.number, attachment.pk])
        except NoReverseMatch:
            return match.group(0)
        return f"{match.group(1)}{url}{match.group(3)}"

    return _CID_SRC.sub(replace, body_html)


def _store_attachments(
    interaction: Interaction, parsed: ParsedMessage
) -> tuple[dict[str, Attachment], list[str]]:
    by_cid: dict[str, Attachment] = {}
    skipped: list[str] = []
    written: list[Attachment] = []
    try:
        _store_each(interaction, parsed, by_cid, skipped, written)
    except StorageFailed:
        # Files this message wrote would be orphans once its work is undone.
        remove_quietly(Attachment.file.field.storage, [str(item.file.name) for item in written])
        raise
    return by_cid, skipped


def _store_each(
    interaction: Interaction,
    parsed: ParsedMessage,
    by_cid: dict[str, Attachment],
    skipped: list[str],
    written: list[Attachment],
) -> None:
    for item in parsed.attachments:
        content_type = item.content_type.lower()
        # Received pages and scripts are kept as plain downloads, never rendered.
        if content_type in ACTIVE_TYPES:
            content_type = "application/octet-stream"
        try:
            attachment = store_attachment(
                interaction,
                filename=item.filename,
                content=item.content,
                content_type=content_type,
                content_id=item.content_id,
                inline=item.inline,
            )
        except AttachmentTooLarge:
            skipped.append(item.filename)
            continue
        if getattr(attachment, "written", False):
            written.append(attachment)
        if attachment.content_id:
            by_cid[attachment.content_id.lower()] = attachment


class Chunk:
    """What the messages of one chunk share: the first copy stored earlier of each message, by
    (SHA-256, Message-ID), processed or quarantined (a copy of either is a duplicate, so an
    archive imported twice leaves one entry in the quarantine), each readable message's
    sender (by row id), and the customers who own the senders' addresses (one query;
    customers merged away, and addresses held only as given or unproven, are left to
    `find_or_create_customer`, which decides whether mail from them joins that customer)."""

    def __init__(self, rows: list[InboundMessage], senders: dict[int, Sender]) -> None:
        self.first_copy: dict[tuple[str, str], int] = {}
        # Filter on the (sha256, message_id) index only: nearly every row is "processed", so a
        # status condition would tempt the planner into scanning the status index.
        earlier = (
            InboundMessage.objects.filter(sha256__in={row.sha256 for row in rows})
            .order_by("id")
            .values_list("pk", "sha256", "message_id", "status")
        )
        kept = {InboundMessage.Status.PROCESSED, InboundMessage.Status.QUARANTINED}
        own = {row.pk for row in rows}
        for pk, sha256, message_id, status in earlier:
            if status in kept and pk not in own:
                self.first_copy.setdefault((sha256, message_id), pk)
        self.senders = senders
        # Senders claiming to be us or staff (ours.py): by row id, OURS or STAFF.
        addresses = {sender.address for sender in senders.values()}
        our, staff = our_addresses(), staff_addresses(addresses)
        self.claims_ours = {
            pk: kind
            for pk, sender in senders.items()
            if (kind := kind_of_sender(sender.address, ours=our, staff=staff))
        }
        identities = Identity.objects.filter(
            kind=Identity.Kind.EMAIL,
            value__in={sender.identity for sender in senders.values() if sender.identity},
        ).select_related("customer")
        self.customers: dict[str, Customer] = {}
        self.elsewhere: set[str] = set()  # owned, but not settled by the lookup above
        for identity in identities.order_by():
            if identity.customer.merged_into_id is None and identity.proof not in WEAK_PROOFS:
                self.customers[identity.value] = identity.customer
            else:
                self.elsewhere.add(identity.value)


def mark_bounced(parsed: ParsedMessage) -> list[Interaction]:
    """The replies a bounce reports, each marked failed on its case."""
    originals = _bounce_originals(parsed) if parsed.auto == BOUNCE else []
    for original in originals:
        if original.delivery_status != Interaction.DeliveryStatus.FAILED:
            mark_delivery(
                original,
                status=Interaction.DeliveryStatus.FAILED,
                error=parsed.bounce_reason or parsed.subject or _("The message bounced."),
            )
    return originals


def _team(inbound: InboundMessage) -> Team:
    mailbox = inbound.mailbox
    team = inbound.team or (mailbox.team if mailbox else None)
    team = team or Team.objects.order_by("id").first()
    if team is None:
        raise Unroutable(_("No team exists to receive the message."))
    return team


def mailbox_language(inbound: InboundMessage) -> str:
    return inbound.mailbox.language if inbound.mailbox else "pl"


def new_case(
    inbound: InboundMessage,
    parsed: ParsedMessage,
    sender: Sender,
    customer: Customer,
    when: datetime,
) -> Contact:
    """The message as a contact that opens a case in the mailbox's team."""
    return Contact(
        customer=customer,
        message=customer_message(inbound, parsed, sender),
        team=_team(inbound),
        subject=parsed.subject or _("(no subject)"),
        language=customer.language or mailbox_language(inbound),
        when=when,
    )


def customer_message(
    inbound: InboundMessage, parsed: ParsedMessage, sender: Sender
) -> CustomerMessage:
    meta: dict[str, Any] = {"from": sender.address, "inbound_message": inbound.pk}
    if parsed.to:
        meta["to"] = parsed.to[:20]
    if parsed.cc:
        meta["cc"] = parsed.cc[:20]
    if parsed.auto:
        meta["auto"] = parsed.auto
    if parsed.quote_start is not None:
        meta["quote_start"] = parsed.quote_start
    if sender.forwarded_by:
        meta["forwarded_by"] = sender.forwarded_by
    if parsed.reply_to and parsed.reply_to.lower() != sender.address:
        meta["reply_to"] = parsed.reply_to.lower()  # shown to the agent; never an identity
    if parsed.date is not None:
        meta["date"] = parsed.date.isoformat()
    return CustomerMessage(
        channel=Channel.EMAIL,
        subject=parsed.subject,
        body_text=parsed.text,
        body_html=sanitise_html(parsed.html) if parsed.html.strip() else "",
        external_id=parsed.message_id,
        meta=meta,
    )


def append_message(
    case: Case, message: CustomerMessage, customer: Customer, when: datetime
) -> Interaction:
    contact = Contact(customer=customer, message=message, case=case, when=when)
    return bring_in([contact])[0].interaction


def finish(
    inbound: InboundMessage,
    parsed: ParsedMessage,
    interaction: Interaction,
    *,
    created: bool,
    address: str,
) -> None:
    """Attachments, inline images, the row's link, and the acknowledgement of a new case."""
    case = interaction.case
    by_cid, skipped = _store_attachments(interaction, parsed)
    fields = []
    if interaction.body_html and "cid:" in interaction.body_html:
        interaction.body_html = _rewrite_cids(interaction.body_html, case, by_cid)
        fields.append("body_html")
    if skipped:
        interaction.meta["skipped_attachments"] = skipped
        fields.append("meta")
    if fields:
        interaction.save(update_fields=fields)
    inbound.interaction = interaction
    mailbox = inbound.mailbox
    if created and address and mailbox is not None and mailbox.acknowledge and not parsed.auto:
        case_pk = case.pk
        transaction.on_commit(lambda: _acknowledge(case_pk, address))


def _write(inbound: InboundMessage, parsed: ParsedMessage, chunk: Chunk) -> bool:
    """One message through the chunk's algorithm (`together.write`). Returns whether a case
    was opened."""
    from opiekun.channels.email.together import write  # together builds on this module

    return write([(inbound, parsed)], chunk)[0].opens


def _acknowledge(case_pk: int, address: str) -> None:
    from opiekun.channels.email.outbound import send_acknowledgement

    case = Case.objects.select_related("team", "customer").get(pk=case_pk)
    send_acknowledgement(case, to=address)


def _parse(row: InboundMessage, raw: bytes | None) -> ParsedMessage | Exception:
    try:
        if raw is None:
            raw = limits.stored_raw(row)
        limits.check_message(raw)  # size, parts, depth: before parsing (limits.py)
        parsed = parse_message(raw)
        limits.check_parsed(parsed)
        if not parsed.message_id:
            parsed.message_id = row.message_id  # derived from the content when it had none
        return parsed
    except Exception as error:  # Any failure quarantines the message: see _process.
        if is_database_down(error):
            raise
        return error


def error_text(error: BaseException) -> str:
    """What a quarantined row keeps of the error: its type and message."""
    return "".join(traceback.format_exception_only(type(error), error)).strip()[:10000]


def _process(row: InboundMessage, parsed: ParsedMessage | Exception, chunk: Chunk) -> Outcome:
    """One message of a chunk, in its own savepoint."""
    key = (row.sha256, row.message_id)
    try:
        with transaction.atomic():
            row.processed_at = timezone.now()
            row.error = ""
            original = chunk.first_copy.get(key)
            if original is not None:
                row.status = InboundMessage.Status.DUPLICATE
                row.duplicate_of_id = original
                row.save(update_fields=["status", "duplicate_of", "processed_at", "error"])
                return Outcome(row.status)
            if isinstance(parsed, Exception):
                raise parsed
            created = _write(row, parsed, chunk)
            row.status = InboundMessage.Status.PROCESSED
            if parsed.message_id and not row.message_id:
                row.message_id = parsed.message_id
            row.save(update_fields=["status", "processed_at", "error", "interaction", "message_id"])
    except Exception as error:
        if is_database_down(error):
            raise
        chunk.customers.clear()  # Some may have been created by the work just undone.
        logger.warning("Quarantined inbound message %s: %s", row.pk, error)
        row.status = InboundMessage.Status.QUARANTINED
        row.error = error_text(error)
        row.interaction = None
        row.save(update_fields=["status", "error", "processed_at", "interaction"])
        chunk.first_copy.setdefault(key, row.pk)
        return Outcome(row.status)
    chunk.first_copy.setdefault(key, row.pk)
    return Outcome(row.status, case_created=created)


def process_many(
    inbound: Sequence[InboundMessage],
    *,
    retry: bool = False,
    raws: Mapping[int, bytes] | None = None,
) -> list[Outcome]:
    """Turn stored messages into interactions, once, in one transaction. Safe to call again on
    the same rows: a row already processed, duplicate or quarantined (unless `retry`) is left
    alone. `raws` (by row id) saves reading back bytes the caller has just stored."""
    allowed = {InboundMessage.Status.RECEIVED}
    if retry:
        allowed.add(InboundMessage.Status.QUARANTINED)
    raws = raws or {}
    outcomes: dict[int, Outcome] = {}
    with transaction.atomic():
        rows = (
            InboundMessage.objects.select_for_update(of=("self",))
            .select_related("mailbox", "mailbox__team", "team")
            .defer("raw")
            .in_bulk([row.pk for row in inbound])
        )
        work = []
        for row in rows.values():
            if row.status in allowed:
                work.append(row)
            else:
                outcomes[row.pk] = Outcome(row.status)
        parsed = {row.pk: _parse(row, raws.get(row.pk)) for row in work}
        senders = {
            pk: who_wrote(item) for pk, item in parsed.items() if isinstance(item, ParsedMessage)
        }
        chunk = Chunk(work, senders)
        work.sort(key=lambda row: row.pk)
        # Imported here: it builds on this module.
        from opiekun.channels.email.together import process_together

        together = process_together(work, parsed, chunk) if len(work) > 1 else None
        if together is not None:
            outcomes.update(together)
        else:
            for row in work:
                outcomes[row.pk] = _process(row, parsed[row.pk], chunk)
    return [outcomes.get(row.pk, Outcome(row.status)) for row in inbound]


def process_message(
    inbound: InboundMessage, *, retry: bool = False, raw: bytes | None = None
) -> Outcome:
    """`process_many` for one message."""
    return process_many([inbound], retry=retry, raws={inbound.pk: raw} if raw else None)[0]


def is_database_down(error: BaseException) -> bool:
    # The database or the disk, not the message, failed: the caller must retry later
    # (EX_TEMPFAIL), and leave the message unflagged on the server.
    return isinstance(error, OperationalError | InterfaceError | StorageFailed)


def chunks(deliveries: Iterable[Delivery]) -> Iterator[list[Delivery]]:
    """Deliveries in chunks of at most CHUNK messages and CHUNK_BYTES, gathered within
    CHUNK_SECONDS (a slow source still commits often)."""
    chunk: list[Delivery] = []
    size = 0
    started = 0.0
    for delivery in deliveries:
        if chunk and (
            len(chunk) >= CHUNK
            or size + len(delivery.raw) > CHUNK_BYTES
            or time.monotonic() - started > CHUNK_SECONDS
        ):
            yield chunk
            chunk, size = [], 0
        if not chunk:
            started = time.monotonic()
        chunk.append(delivery)
        size += len(delivery.raw)
    if chunk:
        yield chunk


def ingest_many(
    deliveries: Sequence[Delivery],
    *,
    mailbox: Mailbox | None = None,
    team: Team | None = None,
) -> list[Outcome]:
    """Store, then process, one chunk of messages."""
    rows = store_raw_many(deliveries, mailbox=mailbox, team=team)
    raws = {row.pk: delivery.raw for row, delivery in zip(rows, deliveries, strict=True)}
    return process_many(rows, raws=raws)


def ingest(
    raw: bytes,
    *,
    mailbox: Mailbox | None = None,
    team: Team | None = None,
    source: str = "",
) -> Outcome:
    """Store, then process, one raw message."""
    return ingest_many([Delivery(raw=raw, source=source)], mailbox=mailbox, team=team)[0]


def process_pending(*, mailbox: Mailbox | None = None) -> list[Outcome]:
    """Process messages stored but not processed (a process died between the two steps)."""
    pending = InboundMessage.objects.filter(status=InboundMessage.Status.RECEIVED)
    if mailbox is not None:
        pending = pending.filter(mailbox=mailbox)
    rows = list(pending.order_by("id").only("pk", "status"))
    outcomes = []
    for start in range(0, len(rows), CHUNK):
        outcomes += process_many(rows[start : start + CHUNK])
    return outcomes


def retry_quarantined(inbound: InboundMessage) -> Outcome:
    """Process a quarantined message again (after a fix); its raw bytes were kept."""
    return process_message(inbound, retry=True)
