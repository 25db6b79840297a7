"""How inbound mail is written: a chunk's new customers, and its new cases with their first
messages, together, one statement per table (`bring_in` opens them with `open_cases`).

`write` is the one algorithm: a chunk goes through it whole; when anything fails, nothing of
the chunk is kept and `inbound._process` takes the messages one at a time, each through
`write` again in its own savepoint, so that a failing message is quarantined alone. Threading
(a reply to a message earlier in the chunk joins that message's case), duplicates and
quarantine of unreadable messages are the same either way.
"""

import contextlib
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.cases.merging import LinkRefused, link_cases
from opiekun.cases.models import Case, CaseLink, Channel, Interaction
from opiekun.cases.services import Contact, add_interaction, bring_in
from opiekun.channels.email import inbound
from opiekun.channels.email.inbound import Chunk, Outcome, Sender
from opiekun.channels.email.models import InboundMessage
from opiekun.channels.email.parsing import ParsedMessage
from opiekun.channels.email.threading import Thread, case_numbered, find_thread
from opiekun.customers.models import Customer
from opiekun.customers.services import NewCustomer, create_customers


@dataclass
class _Step:
    """One readable message: who wrote, and which case it goes to."""

    row: InboundMessage
    parsed: ParsedMessage
    sender: Sender
    customer: Customer | None  # None for mail claiming to be ours (ours.py)
    when: datetime  # the time the message is recorded at
    case: Case | None = None  # an existing case
    new: int | None = None  # or the index of the new case it opens or joins
    opens: bool = False
    interaction: Interaction | None = None
    # The case the message named but its sender may not join: the new case is linked to it.
    refers_to: Case | None = None
    refers_to_new: int | None = None  # or a case opened earlier in the chunk


def process_together(
    rows: list[InboundMessage], parsed: dict[int, ParsedMessage | Exception], chunk: Chunk
) -> dict[int, Outcome] | None:
    """Outcomes by row id, or None (with nothing written) when the chunk must go one by one."""
    first_copy = dict(chunk.first_copy)
    as_stored = [(row, row.message_id, row.duplicate_of_id) for row in rows]
    try:
        with transaction.atomic():
            return _write_together(rows, parsed, chunk)
    except Exception as error:
        if inbound.is_database_down(error):
            raise
        inbound.logger.info(
            "Inbound chunk taken one message at a time: %s", inbound.error_text(error)
        )
        chunk.first_copy = first_copy
        chunk.customers.clear()  # Some were created by the work just undone.
        for row, message_id, duplicate_of_id in as_stored:
            row.message_id, row.duplicate_of_id, row.interaction = message_id, duplicate_of_id, None
        return None


def _readable(
    rows: list[InboundMessage], parsed: dict[int, ParsedMessage | Exception], chunk: Chunk
) -> list[tuple[InboundMessage, ParsedMessage]]:
    """Mark duplicates and unreadable messages; return the rest, in order."""
    now = timezone.now()
    readable = []
    for row in rows:
        item = parsed[row.pk]
        key = (row.sha256, row.message_id)
        row.processed_at, row.error = now, ""
        if key in chunk.first_copy:
            row.status = InboundMessage.Status.DUPLICATE
            row.duplicate_of_id = chunk.first_copy[key]
            continue
        chunk.first_copy.setdefault(key, row.pk)
        if isinstance(item, Exception):
            inbound.logger.warning("Quarantined inbound message %s: %s", row.pk, item)
            row.status = InboundMessage.Status.QUARANTINED
            row.error = inbound.error_text(item)
        else:
            row.status = InboundMessage.Status.PROCESSED
            readable.append((row, item))
    return readable


def _customers(
    readable: list[tuple[InboundMessage, ParsedMessage]], chunk: Chunk
) -> list[tuple[InboundMessage, ParsedMessage, Sender, Customer | None]]:
    """Each message's sender and customer; customers not known yet are created together."""
    senders = [(row, item, chunk.senders[row.pk]) for row, item in readable]
    known = chunk.customers
    wanted: dict[str | int, NewCustomer] = {}  # by address, or by row for no usable address
    for row, _item, sender in senders:
        language = inbound.mailbox_language(row)
        if row.pk in chunk.claims_ours:
            continue  # Never a customer for our own or a staff address.
        if not sender.identity:
            # Kept, not refused: the case shows who wrote, and an agent can add the identity.
            wanted[row.pk] = NewCustomer(name=sender.fallback_name, language=language)
        elif sender.identity in chunk.elsewhere and sender.identity not in known:
            known[sender.identity] = inbound.sender_customer(sender, language=language, known={})
        elif sender.identity not in known and sender.identity not in wanted:
            wanted[sender.identity] = NewCustomer(
                name=sender.name, language=language, email=sender.identity, channel=Channel.EMAIL
            )
    created = dict(zip(wanted, create_customers(list(wanted.values())), strict=True))
    found: list[tuple[InboundMessage, ParsedMessage, Sender, Customer | None]] = []
    for row, item, sender in senders:
        if row.pk in chunk.claims_ours:
            found.append((row, item, sender, None))
            continue
        customer = created.get(sender.identity or row.pk) or known[sender.identity]
        if sender.name and not customer.name:
            customer.name = sender.name
            customer.save(update_fields=["name", "updated_at"])
        found.append((row, item, sender, customer))
    known.update((key, customer) for key, customer in created.items() if isinstance(key, str))
    return found


def _plan(
    found: list[tuple[InboundMessage, ParsedMessage, Sender, Customer | None]], chunk: Chunk
) -> tuple[list[_Step], list[Contact]]:
    """Which case each message goes to, in order; the new cases to open (docs/email.md, "How
    threading decides")."""
    steps: list[_Step] = []
    new: list[Contact] = []
    # Message-ID → the case (or new case) it went to: a reply to a message earlier in the chunk.
    went_to: dict[str, _Step] = {}
    joined: dict[int, set[str]] = {}  # new case → the addresses taking part in it so far
    for row, item, sender, customer in found:
        step = _Step(row, item, sender, customer, when=timezone.now())
        claim = chunk.claims_ours.get(row.pk, "")
        originals = inbound.mark_bounced(item)
        earlier = next(
            (went_to[mid] for mid in item.in_reply_to + item.references if mid in went_to), None
        )
        flags: dict[str, object] = {}
        if originals:
            # Our signed (or stored) id in the returned message: the bounce is about our reply.
            step.case = originals[0].case
        elif earlier is not None and earlier.case is None and earlier.new is not None:
            # A message earlier in the chunk that opened a case not written yet: the same
            # participant rule as `find_thread` applies, on the addresses that case has so far.
            if sender.address and sender.address in joined[earlier.new] and not claim:
                step.new = earlier.new
            else:
                flags["not_participant"] = True
                step.refers_to_new = earlier.new
        else:
            thread = find_thread(item, customer=customer, address=sender.address)
            if thread.forged:
                flags["forged_reference"] = True
            _decide(step, thread, bounced=_bounced_case(item), flags=flags, claim=claim)
        if claim:
            step.interaction = _ours_on_timeline(step, claim, flags)
            if item.message_id:
                went_to[item.message_id] = step
            steps.append(step)
            continue
        assert customer is not None  # noqa: S101 - only mail claiming to be ours has none
        if step.case is None and step.new is None:
            contact = inbound.new_case(row, item, sender, customer, step.when)
            contact.message.meta.update(flags)
            new.append(contact)
            step.new, step.opens = len(new) - 1, True
        if step.new is not None:
            joined.setdefault(step.new, set()).update(
                address.lower() for address in [sender.address, *item.to, *item.cc] if address
            )
        if step.case is not None:
            # An existing case: appended now, so a later message finds it like any other.
            message = inbound.customer_message(row, item, sender)
            message.meta.update(flags)
            step.interaction = inbound.append_message(step.case, message, customer, step.when)
        if item.message_id:
            went_to[item.message_id] = step
        steps.append(step)
    return steps, new


def _bounced_case(parsed: ParsedMessage) -> Case | None:
    """The case a bounce without our id names by its tag in the returned text."""
    for number in parsed.bounced_numbers:
        case = case_numbered(number)
        if case is not None:
            return case
    return None


def _decide(
    step: _Step, thread: Thread, *, bounced: Case | None, flags: dict[str, object], claim: str
) -> None:
    """Set `step.case` (join it) or leave it None (open a new case, linked to `refers_to`)."""
    automatic = bool(step.parsed.auto)
    if thread.case is None and bounced is not None:
        # A bounce quoting our message: robot mail about the case, kept there; it reopens
        # nothing (automatic) and changes no delivery state (only our signed id does that).
        step.case = bounced
        return
    case = thread.case
    if case is None:
        return
    if claim:
        # "From us" with a strong name of a case: an internal entry on it, for the agent.
        step.case = case if thread.strong else None
        return
    if not thread.participant:
        # A stranger naming a case (a forwarded reply, a guessed or stolen id): never appended
        # to someone else's case. A strong name links the new case to it for the agent.
        flags["not_participant"] = True
        if thread.strong:
            step.refers_to = case
            flags["refers_to"] = case.number
        return
    if case.status == Case.Status.CLOSED and not automatic:
        return  # A closed case is never reopened by mail: a new case instead.
    # Automatic mail (out of office…) stays on its case, closed or resolved, reopening nothing.
    step.case = case


def _ours_on_timeline(step: _Step, claim: str, flags: dict[str, object]) -> Interaction:
    """Mail claiming to be ours goes on the case it names as an entry agents see, never the
    customer's words; without such a case it is not made into one (quarantined)."""
    if step.case is None:
        raise inbound.Unroutable(
            _("Mail from our own or a staff address (%(address)s) that names no case.")
            % {"address": step.sender.address}
        )
    message = inbound.customer_message(step.row, step.parsed, step.sender)
    meta = {**message.meta, **flags, "sender_is": claim}
    return add_interaction(
        step.case,
        channel=message.channel,
        direction=Interaction.Direction.INTERNAL,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        started_at=step.when,
        external_id=message.external_id,
        meta=meta,
    )


def write(readable: list[tuple[InboundMessage, ParsedMessage]], chunk: Chunk) -> list[_Step]:
    """Customers, cases, messages, files and acknowledgements for readable messages, in order;
    each step says which case its message went to and whether it opened it."""
    steps, new = _plan(_customers(readable, chunk), chunk)
    opened = bring_in(new)
    for step in steps:
        if step.new is not None:
            if step.opens:
                step.interaction = opened[step.new].interaction
                if step.refers_to is not None:
                    _link(opened[step.new].case, step.refers_to)
                if step.refers_to_new is not None:
                    _link(opened[step.new].case, opened[step.refers_to_new].case)
            else:
                assert step.customer is not None  # noqa: S101 - a new case has its customer
                message = inbound.customer_message(step.row, step.parsed, step.sender)
                case = opened[step.new].case
                step.interaction = inbound.append_message(case, message, step.customer, step.when)
        assert step.interaction is not None  # noqa: S101 - every step has its interaction
        inbound.finish(
            step.row,
            step.parsed,
            step.interaction,
            created=step.opens,
            address="" if step.customer is None else step.sender.address,
        )
        if step.parsed.message_id and not step.row.message_id:
            step.row.message_id = step.parsed.message_id
    return steps


def _link(new: Case, old: Case) -> None:
    """Link a stranger's new case to the case their message named, for the agent to judge."""
    # Merged away or already linked: the interaction's meta still names it.
    with contextlib.suppress(LinkRefused):
        link_cases(new, to=old, kind=CaseLink.Kind.RELATED, by=None)


def _write_together(
    rows: list[InboundMessage], parsed: dict[int, ParsedMessage | Exception], chunk: Chunk
) -> dict[int, Outcome]:
    steps = write(_readable(rows, parsed, chunk), chunk)
    outcomes = {}
    opening = {step.row.pk for step in steps if step.opens}
    for row in rows:
        row.save(
            update_fields=[
                "status", "processed_at", "error", "interaction", "message_id", "duplicate_of",
            ]
        )  # fmt: skip
        outcomes[row.pk] = Outcome(row.status, case_created=row.pk in opening)
    return outcomes
