"""Replies and acknowledgements → email.

Every outbound email interaction leaves through `deliver`, which the `send_reply` task calls:
our own Message-ID (stored before the first attempt, so every retry reuses it), threading
headers to the customer's last message, the case number in the subject, a text and an HTML
part rendered from `emails/<name>_*` templates in the customer's language, the team's
signature and the interaction's attachments. A failed attempt is shown on the case and
retried with backoff; a permanent refusal (5xx) is not retried. A connection that breaks
after the server had the whole message (after DATA, before its final "250") leaves the
delivery "uncertain": it is not retried, and an agent may resend it knowingly. See
docs/email-outbound.md and docs/email.md "Delivery states".
"""

import logging
import re
import secrets
import smtplib
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import MIMEPart
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from opiekun.accounts.models import Team
from opiekun.cases.models import Attachment, Case, Channel, Interaction
from opiekun.cases.services import add_interaction, mark_delivery
from opiekun.channels.email.loops import may_answer
from opiekun.channels.email.threading import reply_address_for, signed_message_id
from opiekun.core.emails import (
    FAILED,
    MAX_ATTEMPTS,
    RETRY,
    RETRY_DELAYS,
    SENT,
    SKIPPED,
    describe,
    is_permanent,
)
from opiekun.core.sanitise import sanitise_html

logger = logging.getLogger(__name__)

# An attempt that started this long ago without finishing died with its process; longer than
# any SMTP timeout, so two workers never hand the same message to SMTP at once.
SENDING_LEASE = timedelta(minutes=10)
# At most this many automatic messages (acknowledgements…) to one address per window.
AUTOMATIC_LIMIT = 3
AUTOMATIC_WINDOW = timedelta(hours=1)
# References keeps the thread's first message and the most recent ones.
MAX_REFERENCES = 20

_MESSAGE_ID = re.compile(r"^<?([^<>\s@]+@[^<>\s@]+)>?$")
_CASE_TAG = re.compile(r"\s*\[#\d{4}-\d{6}\]\s*")
# Reply prefixes in the languages our customers write: Re, Odp (pl), Vs (et), Aw, Sv.
_REPLY_PREFIX = re.compile(r"^\s*(re|odp|vs|aw|sv)(\[\d+\])?\s*:\s*", re.IGNORECASE)
_AUTOMATIC_LOCAL_PARTS = {
    "mailer-daemon", "mailerdaemon", "postmaster", "noreply", "no-reply", "no_reply",
    "donotreply", "do-not-reply", "do_not_reply", "bounce", "bounces", "autoreply",
    "auto-reply", "autoresponder", "daemon", "listserv", "majordomo", "notifications",
}  # fmt: skip
_AUTOMATIC_FRAGMENTS = ("noreply", "no-reply", "no_reply", "donotreply", "do-not-reply")
_TRANSIENT_META = ("sending_since", "retry_at")
UNCERTAIN = "uncertain"


class Undeliverable(ValueError):
    """The message cannot be built (no address, a missing file): retrying will not help."""


# ----------------------------------------------------------------------------- addresses


def normalise_address(address: str) -> str:
    """The bare, lower-case addr-spec of `address` ("Ann <Ann@X.pl>" → "ann@x.pl"), or ""."""
    addr = parseaddr(address)[1].strip().lower()
    local, at, domain = addr.rpartition("@")
    return addr if at and local and "." in domain else ""


def is_automatic_address(address: str) -> bool:
    """Whether an address belongs to a robot (bounces, no-reply senders, mailing lists)."""
    addr = normalise_address(address)
    if not addr:
        return True
    local = addr.rpartition("@")[0].split("+", 1)[0]
    return (
        local in _AUTOMATIC_LOCAL_PARTS
        or any(fragment in local for fragment in _AUTOMATIC_FRAGMENTS)
        or local.startswith(("bounce", "mailer-daemon", "owner-"))
        or local.endswith(("-request", "-owner", "-bounces"))
    )


def sender_address(team: Team) -> str:
    """From: the team's address under the team's name, or the site default."""
    addr = normalise_address(team.email)
    if not addr:
        return settings.DEFAULT_FROM_EMAIL
    return str(Address(display_name=team.name, addr_spec=addr))


def reply_address(case: Case) -> str:
    """Reply-To: the per-case address when threading provides one, else the team's address."""
    addr = normalise_address(reply_address_for(case))
    if not addr:
        return sender_address(case.team)
    return str(Address(display_name=case.team.name, addr_spec=addr))


def message_id_for(interaction: Interaction) -> str:
    addr = normalise_address(interaction.case.team.email) or normalise_address(
        settings.DEFAULT_FROM_EMAIL
    )
    domain = addr.rpartition("@")[2] or "opiekun.local"
    # Short enough for one header line; the random part keeps ids unique across installs, the
    # signature lets threading trust a reply that names it (threading.read_our_message_id).
    return signed_message_id(interaction.case.number, interaction.pk, secrets.token_hex(4), domain)


# ----------------------------------------------------------------------------- threading


def normalise_message_id(value: str) -> str:
    """`<id@host>` from a stored id with or without brackets; "" for anything else."""
    match = _MESSAGE_ID.match(value.strip())
    return f"<{match.group(1)}>" if match else ""


def thread_headers(interaction: Interaction) -> tuple[str, list[str]]:
    """(In-Reply-To, References) for an outbound interaction.

    In-Reply-To is the customer's last email before it (or, without one, the thread's last
    message); References lists the thread oldest first and ends with that parent.
    """
    earlier = (
        Interaction.objects.filter(
            case_id=interaction.case_id,
            channel=Channel.EMAIL,
            started_at__lte=interaction.started_at,
        )
        .exclude(pk=interaction.pk)
        .exclude(external_id="")
        .order_by("started_at", "id")
        .values_list("direction", "external_id")
    )
    thread = [
        (direction, message_id)
        for direction, external_id in earlier
        if (message_id := normalise_message_id(external_id))
    ]
    if not thread:
        return "", []
    from_customer = [mid for direction, mid in thread if direction == Interaction.Direction.INBOUND]
    parent = from_customer[-1] if from_customer else thread[-1][1]
    references = [*dict.fromkeys(mid for _, mid in thread if mid != parent), parent]
    if len(references) > MAX_REFERENCES:
        references = references[:1] + references[-(MAX_REFERENCES - 1) :]
    return parent, references


def topic(subject: str) -> str:
    """A subject without reply prefixes and case tags, so neither is ever doubled."""
    previous = None
    while previous != subject:
        previous = subject
        subject = _REPLY_PREFIX.sub("", _CASE_TAG.sub(" ", subject)).strip()
    return " ".join(subject.split())


# ----------------------------------------------------------------------------- rendering


def _context(
    case: Case, *, subject: str, body_text: str = "", body_html: str = ""
) -> dict[str, Any]:
    return {
        "case": case,
        "number": case.number,
        "subject": topic(subject or case.subject),
        "team": case.team,
        "signature": case.team.signature.strip(),
        "body_text": body_text,
        # Stored HTML was cleaned on the way in; cleaning again costs little and keeps mail safe.
        "body_html": mark_safe(sanitise_html(body_html)) if body_html.strip() else "",  # noqa: S308
        "language": translation.get_language(),
        "portal_url": settings.SITE_URL + reverse("portal:start"),
    }


def render_message(name: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text, html) from emails/<name>_subject.txt, _body.txt and _body.html,
    in the active language."""
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    text = render_to_string(f"emails/{name}_body.txt", context).strip() + "\n"
    html = render_to_string(f"emails/{name}_body.html", context)
    return subject, text, html


def _template_name(interaction: Interaction) -> str:
    return "acknowledgement" if interaction.meta.get("auto") == "acknowledgement" else "reply"


def _read(attachment: Attachment) -> bytes:
    try:
        with attachment.file.open("rb") as file:
            return bytes(file.read())
    except (OSError, ValueError) as error:
        raise Undeliverable(
            _("The attachment “%(name)s” cannot be read.") % {"name": attachment.filename}
        ) from error


def _part(content: bytes, *, content_type: str, filename: str, disposition: str) -> MIMEPart:
    maintype, _slash, subtype = content_type.partition("/")
    if not maintype or not subtype:
        maintype, subtype = "application", "octet-stream"
    part = MIMEPart()
    part.set_content(
        content, maintype=maintype, subtype=subtype, disposition=disposition, filename=filename
    )
    return part


def build_message(interaction: Interaction) -> EmailMessage:
    """The email for an outbound interaction that already has its Message-ID.

    Structure: multipart/mixed [ multipart/alternative [ text/plain, text/html (in a
    multipart/related with inline images) ], attachments… ].
    """
    case = interaction.case
    to = normalise_address(str(interaction.meta.get("to", ""))) or normalise_address(
        case.customer.primary_email()
    )
    if not to:
        raise Undeliverable(_("The customer has no email address."))
    name = _template_name(interaction)
    with translation.override(case.customer.language):
        subject, text, html = render_message(
            name,
            _context(
                case,
                subject=interaction.subject,
                body_text=interaction.body_text,
                body_html=interaction.body_html,
            ),
        )

    headers = {"Message-ID": interaction.external_id}
    parent, references = thread_headers(interaction)
    if parent:
        headers["In-Reply-To"] = parent
        headers["References"] = " ".join(references)
    if interaction.meta.get("auto"):
        # RFC 3834: robots must not answer this; Exchange: no out-of-office replies either.
        headers["Auto-Submitted"] = "auto-replied"
        headers["X-Auto-Response-Suppress"] = "All"

    body = MIMEPart()
    body.set_content(text, cte="quoted-printable")
    body.add_alternative(html, subtype="html", cte="quoted-printable")
    html_part = next(part for part in body.iter_parts() if part.get_content_type() == "text/html")
    files = []
    for attachment in interaction.attachments.all():
        content = _read(attachment)
        if attachment.is_inline and attachment.content_id:
            maintype, _slash, subtype = attachment.content_type.partition("/")
            html_part.add_related(
                content,
                maintype=maintype or "application",
                subtype=subtype or "octet-stream",
                cid=f"<{attachment.content_id}>",
                disposition="inline",
                filename=attachment.filename,
            )
        else:
            files.append(
                _part(
                    content,
                    content_type=attachment.content_type,
                    filename=attachment.filename,
                    disposition="attachment",
                )
            )
    message = EmailMessage(
        subject=subject,
        from_email=sender_address(case.team),
        to=[to],
        reply_to=[reply_address(case)],
        headers=headers,
    )
    message.attach(body)
    for part in files:
        message.attach(part)
    return message


# ----------------------------------------------------------------------------- delivery


def _claim(interaction_id: int, *, attempt: int | None) -> Interaction | None:
    """Take one attempt at an unsent interaction, or None when there is nothing to do.

    In one short transaction: skip what was sent, a retry that a later attempt superseded,
    and an attempt already in flight; count the attempt, take the sending lease, and give the
    interaction its Message-ID before anything reaches SMTP.
    """
    now = timezone.now()
    with transaction.atomic():
        interaction = (
            Interaction.objects.select_for_update(of=("self",))
            .select_related("case__customer", "case__team")
            .filter(pk=interaction_id)
            .first()
        )
        if (
            interaction is None  # deleted with its case since it was queued
            or interaction.sent_at is not None
            # It may have arrived: only an agent's Resend (status back to queued) sends again.
            or interaction.delivery_status == Interaction.DeliveryStatus.UNCERTAIN
            or interaction.direction != Interaction.Direction.OUTBOUND
            or interaction.channel != Channel.EMAIL
        ):
            return None
        done = int(interaction.meta.get("delivery_attempts", 0))
        if attempt is not None and attempt != done + 1:
            return None
        since = interaction.meta.get("sending_since")
        if since and datetime.fromisoformat(since) > now - SENDING_LEASE:
            return None
        interaction.meta = {
            **interaction.meta,
            "delivery_attempts": done + 1,
            "sending_since": now.isoformat(),
        }
        fields = ["meta"]
        if not interaction.external_id:
            interaction.external_id = message_id_for(interaction)
            fields.append("external_id")
        interaction.save(update_fields=fields)
    return interaction


def _enqueue(
    interaction_id: int, *, attempt: int | None = None, run_after: datetime | None = None
) -> None:
    # Imported here: tasks.py imports this module.
    from opiekun.channels.email.tasks import send_reply

    if run_after is None:
        send_reply.enqueue(interaction_id, attempt)
    else:
        send_reply.using(run_after=run_after).enqueue(interaction_id, attempt)


def queue_delivery(interaction_id: int) -> None:
    """Email's delivery for `cases` ("deliver:email"): send through the task queue."""
    _enqueue(interaction_id)


def _can_schedule_retries() -> bool:
    from opiekun.channels.email.tasks import send_reply

    return bool(send_reply.get_backend().supports_defer)


def _record_sent(interaction: Interaction) -> None:
    with transaction.atomic():
        interaction.meta = {
            key: value
            for key, value in interaction.meta.items()
            if key not in (*_TRANSIENT_META, "delivery_error")
        }
        interaction.save(update_fields=["meta"])
        mark_delivery(interaction, status=Interaction.DeliveryStatus.SENT)


def _record_failure(interaction: Interaction, *, error: str, permanent: bool) -> str:
    """Show the failure on the case and, unless it is permanent or attempts ran out,
    schedule the next attempt after the backoff delay."""
    done = int(interaction.meta.get("delivery_attempts", 1))
    meta = {key: value for key, value in interaction.meta.items() if key not in _TRANSIENT_META}
    retry_at = None
    if not permanent and done < MAX_ATTEMPTS:
        if _can_schedule_retries():
            retry_at = timezone.now() + RETRY_DELAYS[done - 1]
            meta["retry_at"] = retry_at.isoformat()
        else:
            logger.warning("Task backend cannot defer; interaction %s not retried", interaction.pk)
    with transaction.atomic():
        interaction.meta = meta
        interaction.save(update_fields=["meta"])
        mark_delivery(interaction, status=Interaction.DeliveryStatus.FAILED, error=error)
        if retry_at is not None:
            when = retry_at
            transaction.on_commit(
                lambda: _enqueue(interaction.pk, attempt=done + 1, run_after=when)
            )
    return RETRY if retry_at is not None else FAILED


def handed_over(error: BaseException) -> bool:
    """Whether `error` broke the connection while we waited for the server's answer to a
    message it had received whole (after DATA and the final dot): it may have been delivered,
    and sending it again may give the customer a second copy."""
    trace = error.__traceback__
    while trace is not None:
        frame = trace.tb_frame
        if frame.f_code is smtplib.SMTP.data.__code__:
            following = trace.tb_next
            # smtplib.SMTP.data sends the message (`q`), then reads the final reply.
            return (
                "q" in frame.f_locals
                and following is not None
                and following.tb_frame.f_code is smtplib.SMTP.getreply.__code__
            )
        trace = trace.tb_next
    return False


def _record_uncertain(interaction: Interaction, *, error: str) -> str:
    """Not retried: shown on the case for an agent to resend knowingly, and counted."""
    meta = {key: value for key, value in interaction.meta.items() if key not in _TRANSIENT_META}
    with transaction.atomic():
        interaction.meta = meta
        interaction.save(update_fields=["meta"])
        mark_delivery(interaction, status=Interaction.DeliveryStatus.UNCERTAIN, error=error)
    logger.warning("Delivery of interaction %s uncertain: %s", interaction.pk, error)
    return UNCERTAIN


def deliver(interaction_id: int, *, attempt: int | None = None) -> str:
    """Send one outbound email interaction; safe to run twice and from several workers.

    `attempt` is given by scheduled retries: a retry superseded by a later attempt (the
    desk's Retry button) does nothing. Returns "sent", "retry" (failed, next attempt
    scheduled), "failed" (failed for good), "uncertain" (the connection broke after the
    server had the whole message: not sent again automatically, see `handed_over`) or
    "skipped" (nothing to do).

    The interaction is marked sent as soon as SMTP accepted it. A crash between the two
    leaves it unsent with its lease; once the lease expires, a retry sends it again under
    the same Message-ID (at least once, never lost; see docs/email-outbound.md).
    """
    interaction = _claim(interaction_id, attempt=attempt)
    if interaction is None:
        return SKIPPED
    try:
        message = build_message(interaction)
    except Undeliverable as error:
        return _record_failure(interaction, error=str(error), permanent=True)
    try:
        mailers["default"].send_messages([message])
    except (smtplib.SMTPException, OSError, ValueError) as error:
        if handed_over(error):
            return _record_uncertain(interaction, error=describe(error))
        return _record_failure(interaction, error=describe(error), permanent=is_permanent(error))
    _record_sent(interaction)
    return SENT


# ----------------------------------------------------------------------------- automatic


def may_send_automatic(address: str) -> bool:
    """Whether an automatic message (acknowledgement…) may go to `address` now.

    Never to robots' addresses; at most AUTOMATIC_LIMIT per AUTOMATIC_WINDOW to one address,
    counted in the database, so every process and worker sees the same count.
    """
    addr = normalise_address(address)
    if not addr or is_automatic_address(addr):
        return False
    recent = Interaction.objects.filter(
        direction=Interaction.Direction.OUTBOUND,
        created_at__gte=timezone.now() - AUTOMATIC_WINDOW,
        meta__has_key="auto",
        meta__to=addr,
    )
    # Then the daily cap and loop detection (loops.py), which also alerts the administrators.
    return recent.count() < AUTOMATIC_LIMIT and may_answer(addr)


@transaction.atomic
def send_acknowledgement(case: Case, *, to: str) -> Interaction | None:
    """Tell the customer their message arrived and under which case number.

    Returns the outbound interaction on the case timeline (sent after commit), or None when
    `to` looks automatic or already had AUTOMATIC_LIMIT automatic messages this hour.
    """
    addr = normalise_address(to)
    if not may_send_automatic(addr):
        return None
    with translation.override(case.customer.language):
        _subject, text, _html = render_message("acknowledgement", _context(case, subject=""))
    first_response_at = case.first_response_at
    interaction = add_interaction(
        case,
        channel=Channel.EMAIL,
        direction=Interaction.Direction.OUTBOUND,
        subject=case.subject,
        body_text=text,
        meta={"auto": "acknowledgement", "to": addr},
    )
    if case.first_response_at != first_response_at:
        # A robot's receipt is not the team's first response; the SLA clock keeps running.
        case.first_response_at = first_response_at
        case.save(update_fields=["first_response_at"])
    interaction.delivery_status = Interaction.DeliveryStatus.QUEUED
    interaction.save(update_fields=["delivery_status"])
    pk = interaction.pk
    transaction.on_commit(lambda: _enqueue(pk))
    return interaction
