"""How inbound mail is written: a chunk's new customers, and its new cases with their first
messages, together, one statement per table (`bring_in` opens them with `open_cases`).

`write` is the one algorithm: a chunk goes through it whole; when anything fails, nothing of
the chunk is kept and `inbound._process` takes the messages one at a time, each through
`write` again in its own savepoint, so that a failing message is quarantined alone. Threading
(a reply to a message earlier in the chunk joins that message's case), duplicates and
quarantine of unreadable messages are the same either way.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.services import Contact, bring_in
from opiekun.channels.email import inbound
from opiekun.channels.email.inbound import Chunk, Outcome, Sender
from opiekun.channels.email.models import InboundMessage
from opiekun.channels.email.parsing import ParsedMessage
from opiekun.channels.email.threading import find_case
from opiekun.customers.models import Customer
from opiekun.customers.services import NewCustomer, create_customers


@dataclass
class _Step:
    """One readable message: who wrote, and which case it goes to."""

    row: InboundMessage
    parsed: ParsedMessage
    sender: Sender
    customer: Customer
    when: datetime  # the time the message is recorded at
    case: Case | None = None  # an existing case
    new: int | None = None  # or the index of the new case it opens or joins
    opens: bool = False
    interaction: Interaction | None = None


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
) -> list[tuple[InboundMessage, ParsedMessage, Sender, Customer]]:
    """Each message's sender and customer; customers not known yet are created together."""
    senders = [(row, item, chunk.senders[row.pk]) for row, item in readable]
    known = chunk.customers
    wanted: dict[str | int, NewCustomer] = {}  # by address, or by row for no usable address
    for row, _item, sender in senders:
        language = inbound.mailbox_language(row)
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
    found = []
    for row, item, sender in senders:
        customer = created.get(sender.identity or row.pk) or known[sender.identity]
        if sender.name and not customer.name:
            customer.name = sender.name
            customer.save(update_fields=["name", "updated_at"])
        found.append((row, item, sender, customer))
    known.update((key, customer) for key, customer in created.items() if isinstance(key, str))
    return found


def _plan(
    found: list[tuple[InboundMessage, ParsedMessage, Sender, Customer]],
) -> tuple[list[_Step], list[Contact]]:
    """Which case each message goes to, in order; the new cases to open."""
    steps: list[_Step] = []
    new: list[Contact] = []
    # Message-ID → the case (or new case) it went to: a reply to a message earlier in the chunk.
    went_to: dict[str, _Step] = {}
    for row, item, sender, customer in found:
        step = _Step(row, item, sender, customer, when=timezone.now())
        originals = inbound.mark_bounced(item)
        earlier = next(
            (went_to[mid] for mid in item.in_reply_to + item.references if mid in went_to), None
        )
        if originals:
            step.case = originals[0].case
        elif earlier is not None:
            step.case, step.new = earlier.case, earlier.new
        else:
            step.case = find_case(item, customer=customer)
        if step.case is None and step.new is None:
            new.append(inbound.new_case(row, item, sender, customer, step.when))
            step.new, step.opens = len(new) - 1, True
        if step.case is not None:
            # An existing case: appended now, so a later message finds it like any other.
            message = inbound.customer_message(row, item, sender)
            step.interaction = inbound.append_message(step.case, message, customer, step.when)
        if item.message_id:
            went_to[item.message_id] = step
        steps.append(step)
    return steps, new


def write(readable: list[tuple[InboundMessage, ParsedMessage]], chunk: Chunk) -> list[_Step]:
    """Customers, cases, messages, files and acknowledgements for readable messages, in order;
    each step says which case its message went to and whether it opened it."""
    steps, new = _plan(_customers(readable, chunk))
    opened = bring_in(new)
    for step in steps:
        if step.new is not None:
            if step.opens:
                step.interaction = opened[step.new].interaction
            else:
                message = inbound.customer_message(step.row, step.parsed, step.sender)
                case = opened[step.new].case
                step.interaction = inbound.append_message(case, message, step.customer, step.when)
        assert step.interaction is not None  # noqa: S101 - every step has its interaction
        inbound.finish(
            step.row, step.parsed, step.interaction, created=step.opens, address=step.sender.address
        )
        if step.parsed.message_id and not step.row.message_id:
            step.row.message_id = step.parsed.message_id
    return steps


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
