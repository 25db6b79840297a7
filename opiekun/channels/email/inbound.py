"""An incoming email → an interaction on a case.

Order of work, so that nothing is lost and nothing is done twice:
1. `store_raw` commits the raw bytes (an `InboundMessage` with status "received") before
   anything is parsed;
2. `process_message` parses it and, in one transaction, writes the customer, the case, the
   interaction and its attachments and marks the row "processed" — or, when the same message
   (same Message-ID and bytes) was processed before, "duplicate"; any failure rolls that back
   and marks the row "quarantined" with the error, raw bytes kept for `retry_quarantined`;
3. the caller (IMAP poller, `opiekun ingest_mail`) acknowledges the source only after that.

Conventions the desk relies on (Interaction.meta): "auto" = kind of robot mail ("auto_reply",
"auto_generated", "bounce", "complaint", "list", "bulk"); "quote_start" = offset in body_text
where quoted history starts (in body_html it is inside <blockquote>); "from", "to", "cc";
"forwarded_by" = the staff address that forwarded a customer's mail; "inbound_message" = pk.
"""

import hashlib
import logging
import re
import traceback
from dataclasses import dataclass
from typing import Any

from django.db import InterfaceError, OperationalError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Attachment, Case, Channel, Interaction
from opiekun.cases.services import (
    AttachmentTooLarge,
    add_interaction,
    mark_delivery,
    open_case,
    store_attachment,
)
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.parsing import (
    ACTIVE_TYPES,
    BOUNCE,
    ParsedMessage,
    parse_message,
)
from opiekun.channels.email.threading import find_case
from opiekun.core.sanitise import sanitise_html
from opiekun.customers.models import Customer
from opiekun.customers.services import (
    InvalidIdentity,
    create_customer,
    find_or_create_customer,
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
    return hashlib.sha256(raw).hexdigest()


def _peek_message_id(raw: bytes) -> str:
    # Read before parsing, so even a message that cannot be parsed is findable by its id.
    match = re.search(rb"^message-id:[ \t]*(<[^<>\s]{1,250}>)", raw[:65536], re.I | re.M)
    return match.group(1).decode("ascii", "replace") if match else ""


def store_raw(
    raw: bytes,
    *,
    mailbox: Mailbox | None = None,
    team: Team | None = None,
    source: str = "",
    imap_uid: str = "",
) -> InboundMessage:
    """Commit the raw message before anything else; a message fetched again from the same
    IMAP UID returns the row stored the first time."""
    with transaction.atomic():
        if imap_uid and mailbox is not None:
            existing = InboundMessage.objects.filter(mailbox=mailbox, imap_uid=imap_uid).first()
            if existing is not None:
                return existing
        return InboundMessage.objects.create(
            mailbox=mailbox,
            team=team or (mailbox.team if mailbox else None),
            raw=raw,
            size=len(raw),
            sha256=message_digest(raw),
            message_id=_peek_message_id(raw),
            source=source[:255],
            imap_uid=imap_uid,
        )


def _staff_address(address: str) -> bool:
    return User.objects.filter(email__iexact=address, is_active=True).exists()


def _sender(parsed: ParsedMessage) -> tuple[str, str, str]:
    """(name, address, forwarded_by): mail an agent forwarded is the original sender's."""
    if parsed.forwarded_from is not None and parsed.from_addr and _staff_address(parsed.from_addr):
        name, addr = parsed.forwarded_from
        return name, addr, parsed.from_addr.lower()
    return parsed.from_name, parsed.from_addr, ""


def _customer(parsed: ParsedMessage, *, language: str) -> tuple[Customer, str, str]:
    name, addr, forwarded_by = _sender(parsed)
    candidates = [addr, parsed.reply_to] if addr else [parsed.reply_to]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            customer = find_or_create_customer(email=candidate, name=name[:200], language=language)
        except InvalidIdentity:
            continue
        return customer, candidate.lower(), forwarded_by
    # Kept, not refused: the case shows who wrote, and an agent can add the right identity.
    customer = create_customer(name=(name or addr or _("Unknown sender"))[:200], language=language)
    return customer, "", forwarded_by


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
    skipped = []
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
        if attachment.content_id:
            by_cid[attachment.content_id.lower()] = attachment
    return by_cid, skipped


def _duplicate_of(inbound: InboundMessage) -> int | None:
    """The id of an earlier processed row with the same Message-ID and bytes, if any."""
    # Filter on the (message_id, sha256) index only: nearly every row is "processed", so a
    # status condition would tempt the planner into scanning the status index.
    others = (
        InboundMessage.objects.filter(sha256=inbound.sha256, message_id=inbound.message_id)
        .exclude(pk=inbound.pk)
        .order_by("id")
        .values_list("pk", "status")
    )
    for pk, status in others:
        if status == InboundMessage.Status.PROCESSED:
            return int(pk)
    return None


def _write(inbound: InboundMessage, parsed: ParsedMessage) -> bool:
    """Write customer, case, interaction and attachments. Returns whether a case was opened."""
    mailbox = inbound.mailbox
    team = inbound.team or (mailbox.team if mailbox else None)
    language = mailbox.language if mailbox else "pl"
    originals = _bounce_originals(parsed) if parsed.auto == BOUNCE else []
    for original in originals:
        if original.delivery_status != Interaction.DeliveryStatus.FAILED:
            mark_delivery(
                original,
                status=Interaction.DeliveryStatus.FAILED,
                error=parsed.bounce_reason or parsed.subject or _("The message bounced."),
            )
    customer, address, forwarded_by = _customer(parsed, language=language)
    case = originals[0].case if originals else find_case(parsed, customer=customer)
    created = case is None
    if case is None:
        if team is None:
            team = Team.objects.order_by("id").first()
        if team is None:
            raise Unroutable(_("No team exists to receive the message."))
        case = open_case(
            customer=customer,
            team=team,
            subject=parsed.subject or _("(no subject)"),
            channel=Channel.EMAIL,
            language=customer.language or language,
        )
    meta: dict[str, Any] = {"from": address, "inbound_message": inbound.pk}
    if parsed.to:
        meta["to"] = parsed.to[:20]
    if parsed.cc:
        meta["cc"] = parsed.cc[:20]
    if parsed.auto:
        meta["auto"] = parsed.auto
    if parsed.quote_start is not None:
        meta["quote_start"] = parsed.quote_start
    if forwarded_by:
        meta["forwarded_by"] = forwarded_by
    if parsed.date is not None:
        meta["date"] = parsed.date.isoformat()
    body_html = sanitise_html(parsed.html) if parsed.html.strip() else ""
    interaction = add_interaction(
        case,
        channel=Channel.EMAIL,
        direction=Interaction.Direction.INBOUND,
        subject=parsed.subject,
        body_text=parsed.text,
        body_html=body_html,
        customer=customer,
        external_id=parsed.message_id,
        meta=meta,
    )
    by_cid, skipped = _store_attachments(interaction, parsed)
    fields = []
    if body_html and "cid:" in body_html:
        interaction.body_html = _rewrite_cids(body_html, case, by_cid)
        fields.append("body_html")
    if skipped:
        interaction.meta["skipped_attachments"] = skipped
        fields.append("meta")
    if fields:
        interaction.save(update_fields=fields)
    inbound.interaction = interaction
    if created and address and mailbox is not None and mailbox.acknowledge and not parsed.auto:
        case_pk = case.pk
        transaction.on_commit(lambda: _acknowledge(case_pk, address))
    return created


def _acknowledge(case_pk: int, address: str) -> None:
    from opiekun.channels.email.outbound import send_acknowledgement

    case = Case.objects.select_related("team", "customer").get(pk=case_pk)
    send_acknowledgement(case, to=address)


def _quarantine(inbound_pk: int, error: str) -> None:
    InboundMessage.objects.filter(pk=inbound_pk).update(
        status=InboundMessage.Status.QUARANTINED,
        error=error[:10000],
        processed_at=timezone.now(),
        interaction=None,
    )


def process_message(
    inbound: InboundMessage, *, retry: bool = False, raw: bytes | None = None
) -> Outcome:
    """Turn a stored message into an interaction, once. Safe to call again on the same row:
    a row already processed, duplicate or quarantined (unless `retry`) is left alone.

    `raw` saves reading back bytes the caller has just stored."""
    allowed = {InboundMessage.Status.RECEIVED}
    if retry:
        allowed.add(InboundMessage.Status.QUARANTINED)
    try:
        with transaction.atomic():
            row = (
                InboundMessage.objects.select_for_update(of=("self",))
                .select_related("mailbox", "mailbox__team", "team")
                .defer("raw")
                .get(pk=inbound.pk)
            )
            if row.status not in allowed:
                return Outcome(row.status)
            original = _duplicate_of(row)
            now = timezone.now()
            if original is not None:
                row.status = InboundMessage.Status.DUPLICATE
                row.duplicate_of_id = original
                row.processed_at = now
                row.error = ""
                row.save(update_fields=["status", "duplicate_of", "processed_at", "error"])
                return Outcome(row.status)
            if raw is None:
                raw = bytes(InboundMessage.objects.values_list("raw", flat=True).get(pk=row.pk))
            parsed = parse_message(raw)
            created = _write(row, parsed)
            row.status = InboundMessage.Status.PROCESSED
            row.processed_at = now
            row.error = ""
            if parsed.message_id and not row.message_id:
                row.message_id = parsed.message_id
            row.save(update_fields=["status", "processed_at", "error", "interaction", "message_id"])
            return Outcome(row.status, case_created=created)
    except Exception as error:
        if _is_database_down(error):
            raise
        logger.warning("Quarantined inbound message %s: %s", inbound.pk, error)
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        _quarantine(inbound.pk, detail)
        return Outcome(InboundMessage.Status.QUARANTINED)


def _is_database_down(error: BaseException) -> bool:
    # The database, not the message, failed: the caller must retry later (EX_TEMPFAIL).
    return isinstance(error, OperationalError | InterfaceError)


def ingest(
    raw: bytes,
    *,
    mailbox: Mailbox | None = None,
    team: Team | None = None,
    source: str = "",
) -> Outcome:
    """Store, then process, one raw message."""
    inbound = store_raw(raw, mailbox=mailbox, team=team, source=source)
    return process_message(inbound, raw=raw)


def process_pending(*, mailbox: Mailbox | None = None) -> list[Outcome]:
    """Process messages stored but not processed (a process died between the two steps)."""
    pending = InboundMessage.objects.filter(status=InboundMessage.Status.RECEIVED)
    if mailbox is not None:
        pending = pending.filter(mailbox=mailbox)
    return [process_message(row) for row in pending.order_by("id").only("pk")]


def retry_quarantined(inbound: InboundMessage) -> Outcome:
    """Process a quarantined message again (after a fix); its raw bytes were kept."""
    return process_message(inbound, retry=True)
