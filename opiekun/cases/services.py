"""Changing cases: opening, numbering, the timeline, and every recorded change.

Channels (email, phone, visits, web, portal, API) call these; nothing here knows a channel's
details.
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import Team, User
from opiekun.cases.events import record_event
from opiekun.cases.models import (
    Attachment,
    Case,
    CaseNumber,
    Channel,
    Event,
    Interaction,
    Presence,
    Tag,
    attachment_path,
)
from opiekun.cases.selectors import others_replying
from opiekun.core.errors import Refused
from opiekun.core.files import safe_filename, write_atomically
from opiekun.core.plugins import plugged, plugged_one
from opiekun.customers.models import Customer
from opiekun.customers.services import add_known_fact
from opiekun.sla.services import (
    note_agent_response,
    note_customer_message,
    note_status_change,
    start_clocks,
)


def next_case_numbers(count: int, when: datetime | None = None) -> list[str]:
    """Take the next `count` human-readable numbers for the year, e.g. 2026-000123.

    One UPDATE … RETURNING takes them and holds the row lock until commit, so two processes
    never issue the same number.
    """
    year = timezone.localtime(when or timezone.now()).year
    table, last, year_column = map(
        connection.ops.quote_name, (CaseNumber._meta.db_table, "last", "year")
    )
    # The ORM's update() cannot return the new value; both databases we run on can.
    update = f"UPDATE {table} SET {last} = {last} + %s WHERE {year_column} = %s RETURNING {last}"  # noqa: S608
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(update, [count, year])
        row = cursor.fetchone()
        if row is None:
            # The year's first case: create its row (a racing process may do it too).
            CaseNumber.objects.get_or_create(year=year)
            cursor.execute(update, [count, year])
            row = cursor.fetchone()
    return [f"{year}-{number:06d}" for number in range(row[0] - count + 1, row[0] + 1)]


def next_case_number(when: datetime | None = None) -> str:
    return next_case_numbers(1, when)[0]


@dataclass(frozen=True)
class CaseChange:
    """A change to one field of a case ("status", "assignee", "kind", "priority", "team"), as
    the apps plugged into "case_changed" receive it, inside the transaction that made it:
    a reaction that sends or enqueues something does it on commit."""

    case: Case
    field: str
    before: Any
    after: Any
    by: User | None
    notify_customer: bool = True  # False when something else already tells the customer


def _react(change: CaseChange) -> None:
    for reaction in plugged("case_changed"):
        reaction(change)


@dataclass(frozen=True)
class CustomerMessage:
    """A contact with the customer as a channel brings it in (a message, a call, a visit):
    what goes on the timeline. Files are (name, content, content type) triples."""

    channel: str
    body_text: str = ""
    body_html: str = ""  # already sanitised
    subject: str = ""
    external_id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    direction: str = Interaction.Direction.INBOUND
    author: User | None = None  # the agent who took the call or served the visit
    started_at: datetime | None = None
    ended_at: datetime | None = None
    handle_seconds: int | None = None
    attachments: tuple[tuple[str, bytes, str], ...] = ()


@dataclass(frozen=True)
class Fact:
    """Something the customer told us with their contact, kept with them (a known fact)."""

    kind: str
    value: str
    source: str = ""


@dataclass(frozen=True)
class Contact:
    """One contact a channel, the portal or the API brings in (`bring_in`): the customer's
    message onto `case`, or, when `case` is None, opening a case in `team` with it."""

    customer: Customer
    message: CustomerMessage
    case: Case | None = None
    team: Team | None = None
    subject: str = ""  # the new case's; the message's subject when empty
    kind: str = Case.Kind.QUESTION
    priority: str = Case.Priority.NORMAL
    language: str | None = None
    by: User | None = None  # who logged it: an agent, an API client
    when: datetime | None = None
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Received:
    case: Case
    interaction: Interaction
    opened: bool


@dataclass(frozen=True)
class NewCase:
    """A case to open with `open_cases`."""

    customer: Customer
    team: Team
    subject: str
    channel: str
    kind: str = Case.Kind.QUESTION
    priority: str = Case.Priority.NORMAL
    language: str | None = None
    by: User | None = None
    when: datetime | None = None
    message: CustomerMessage | None = None


@dataclass(frozen=True)
class Opened:
    case: Case
    interaction: Interaction | None


def _numbers(whens: Sequence[datetime]) -> list[str]:
    """Numbers for cases opened at `whens`, in that order (a year's sequence each)."""
    years = [timezone.localtime(when).year for when in whens]
    one_in = dict(zip(years, whens, strict=True))  # a time in each year
    taken = {
        year: iter(next_case_numbers(years.count(year), when)) for year, when in one_in.items()
    }
    return [next(taken[year]) for year in years]


@transaction.atomic(savepoint=False)
def open_cases(new: Sequence[NewCase]) -> list[Opened]:
    """Open cases, each noted on its timeline with its clocks started and, if given, the
    customer's message that opened it; then route each by its team's rule. One statement per
    table for all of them, so a channel that receives many at once (email) opens them
    together."""
    now = timezone.now()
    whens = [spec.when or now for spec in new]
    cases = Case.objects.bulk_create(
        Case(
            number=number, subject=spec.subject[:300], customer=spec.customer, team=spec.team,
            channel=spec.channel, kind=spec.kind, priority=spec.priority,
            language=spec.language or spec.customer.language, created_at=when, updated_at=when,
        )
        for spec, when, number in zip(new, whens, _numbers(whens), strict=True)
    )  # fmt: skip
    Event.objects.bulk_create(
        Event(
            case=case, kind=Event.Kind.CREATED, actor=spec.by, payload={"channel": spec.channel},
            created_at=when,
        )
        for case, spec, when in zip(cases, new, whens, strict=True)
    )  # fmt: skip
    start_clocks(list(zip(cases, whens, strict=True)))
    # The opening message changes nothing on its new case: the case is new, its time is the
    # case's, and its response clock has just started. So it is written like the case.
    interactions = {
        index: Interaction(
            case=cases[index], channel=spec.message.channel, direction=spec.message.direction,
            body_text=spec.message.body_text, body_html=spec.message.body_html,
            subject=spec.message.subject[:300], author=spec.message.author,
            customer=spec.customer, started_at=whens[index], ended_at=spec.message.ended_at,
            handle_seconds=spec.message.handle_seconds,
            external_id=spec.message.external_id[:255], meta=spec.message.meta,
        )
        for index, spec in enumerate(new)
        if spec.message is not None
    }  # fmt: skip
    Interaction.objects.bulk_create(interactions.values())
    # Imported here: routing builds on this module (it calls assign_case).
    from opiekun.cases.routing import route_case

    for case, spec in zip(cases, new, strict=True):
        route_case(case, by=spec.by)
    return [Opened(case, interactions.get(index)) for index, case in enumerate(cases)]


@transaction.atomic(savepoint=False)
def bring_in(contacts: Sequence[Contact]) -> list[Received]:
    """The one way a contact reaches a case, for every channel, the portal and the API.

    Contacts without a case open theirs together (`open_cases`: numbers, clocks, routing);
    the others go on their case's timeline and move it along (`add_interaction`: reopening,
    response clocks). Then each message's files and facts are kept, and every rule plugged
    into "message_received" sees all the customer's messages, the first of a case and the
    later ones alike. Returns, in order, where each contact went.
    """
    new = [
        NewCase(
            customer=contact.customer,
            team=_team_for(contact),
            subject=contact.subject or contact.message.subject,
            channel=contact.message.channel,
            kind=contact.kind,
            priority=contact.priority,
            language=contact.language,
            by=contact.by,
            when=contact.when or contact.message.started_at,
            message=contact.message if _opens_with(contact.message) else None,
        )
        for contact in contacts
        if contact.case is None
    ]
    opened = iter(open_cases(new))
    received = []
    for contact in contacts:
        if contact.case is None:
            opening = next(opened)
            case = opening.case
            interaction = opening.interaction or _add_message(contact, case)
        else:
            case, interaction = contact.case, _add_message(contact, contact.case)
        for filename, content, content_type in contact.message.attachments:
            store_attachment(
                interaction, filename=filename, content=content, content_type=content_type
            )
        for fact in contact.facts:
            add_known_fact(
                contact.customer, kind=fact.kind, value=fact.value, source=fact.source,
                source_case_id=case.pk, source_interaction_id=interaction.pk,
            )  # fmt: skip
        # An agent who took the call or served the visit has the case.
        take_if_nobody_has(case, agent=contact.message.author, opened=contact.case is None)
        received.append(Received(case, interaction, opened=contact.case is None))
    messages = [
        item.interaction
        for item in received
        if item.interaction.direction == Interaction.Direction.INBOUND
    ]
    if messages:
        for rule in plugged("message_received"):
            rule(messages)
    return received


def take_if_nobody_has(case: Case, *, agent: User | None, opened: bool = False) -> None:
    """Give the case to the agent who just answered, called or served its customer, when
    nobody has it (or routing only just chose someone for a case this contact opened) and
    the team wants it so (`Team.assign_on_reply`). Agents outside the team are left out."""
    if agent is None or not case.team.assign_on_reply:
        return
    if case.assignee_id is not None and not opened:
        return
    if case.assignee_id != agent.pk and case.team.members.filter(pk=agent.pk).exists():
        assign_case(case, to=agent, by=agent)


def _team_for(contact: Contact) -> Team:
    if contact.team is None:
        raise ValueError("A contact that opens a case needs a team")
    return contact.team


def _opens_with(message: CustomerMessage) -> bool:
    """Whether a new case is written with this message (the customer's message, which
    changes nothing on its new case); an agent's call opening a case is added after it, so
    it counts as the case's first response."""
    return message.direction == Interaction.Direction.INBOUND


def _add_message(contact: Contact, case: Case) -> Interaction:
    message = contact.message
    return add_interaction(
        case,
        channel=message.channel,
        direction=message.direction,
        subject=message.subject,
        body_text=message.body_text,
        body_html=message.body_html,
        author=message.author,
        customer=contact.customer,
        started_at=message.started_at or contact.when,
        ended_at=message.ended_at,
        handle_seconds=message.handle_seconds,
        external_id=message.external_id,
        meta=message.meta,
    )


def open_case(
    *,
    customer: Customer,
    team: Team,
    subject: str,
    channel: str,
    kind: str = Case.Kind.QUESTION,
    priority: str = Case.Priority.NORMAL,
    language: str | None = None,
    by: User | None = None,
    when: datetime | None = None,
) -> Case:
    """Open a new case for a customer and note it on the timeline."""
    spec = NewCase(
        customer=customer, team=team, subject=subject, channel=channel, kind=kind,
        priority=priority, language=language, by=by, when=when,
    )  # fmt: skip
    return open_cases([spec])[0].case


@transaction.atomic(savepoint=False)
def add_interaction(
    case: Case,
    *,
    channel: str,
    direction: str,
    body_text: str = "",
    body_html: str = "",
    subject: str = "",
    author: User | None = None,
    customer: Customer | None = None,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    handle_seconds: int | None = None,
    external_id: str = "",
    meta: dict[str, Any] | None = None,
) -> Interaction:
    """Put one contact on the case timeline and move the case along.

    A customer's message (not an automatic one, `meta["auto"]`) reopens a case that waited on
    them or was resolved and starts the next-response clock; an answer (not an automatic one)
    sets `first_response_at` and meets the response clocks. `body_html` must already be
    sanitised.
    """
    now = timezone.now()
    started_at = started_at or now
    interaction = Interaction.objects.create(
        case=case,
        channel=channel,
        direction=direction,
        body_text=body_text,
        body_html=body_html,
        subject=subject[:300],
        author=author,
        customer=customer,
        started_at=started_at,
        ended_at=ended_at,
        handle_seconds=handle_seconds,
        external_id=external_id[:255],
        meta=meta or {},
    )
    fields = []
    if started_at > case.updated_at:
        case.updated_at = started_at
        fields.append("updated_at")
    automatic = bool(interaction.meta.get("auto"))
    # An out-of-office reply or a bounce is kept on the case but reopens nothing.
    if (
        direction == Interaction.Direction.INBOUND
        and not automatic
        and case.status
        in {
            Case.Status.PENDING_CUSTOMER,
            Case.Status.RESOLVED,
        }
    ):
        before = case.status
        record_event(case, kind=Event.Kind.STATUS, before=before, after=Case.Status.OPEN)
        case.status = Case.Status.OPEN
        fields.append("status")
        note_status_change(case, before=before, after=Case.Status.OPEN, at=started_at)
        # The customer wrote: nothing needs telling them that their case is open again.
        _react(CaseChange(case, "status", before, Case.Status.OPEN, None, notify_customer=False))
    if direction == Interaction.Direction.INBOUND and not automatic:
        note_customer_message(case, at=started_at)
    if direction == Interaction.Direction.OUTBOUND and not automatic:
        if case.first_response_at is None:
            case.first_response_at = started_at
            fields.append("first_response_at")
        note_agent_response(case, at=started_at)
    if fields:
        case.save(update_fields=fields)
    return interaction


@transaction.atomic
def assign_case(case: Case, *, to: User | None, by: User | None) -> Case:
    """Give the case to an agent (or nobody) and note it on the timeline.

    Call inside a transaction that holds the row lock (access_case(..., for_update=True)).
    """
    if case.assignee_id == (to.pk if to else None):
        return case
    previous = case.assignee
    before = str(previous) if previous else ""
    case.assignee = to
    fields = ["assignee", "updated_at"]
    case.updated_at = timezone.now()
    if to is not None and case.status == Case.Status.NEW:
        case.status = Case.Status.OPEN
        fields.append("status")
    case.save(update_fields=fields)
    record_event(
        case,
        kind=Event.Kind.ASSIGNED,
        by=by,
        before=before,
        after=str(to) if to else "",
        after_id=to.pk if to else None,
    )
    _react(CaseChange(case, "assignee", previous, to, by))
    return case


def _change_field(
    case: Case,
    *,
    field: str,
    value: str,
    kind: str,
    by: User | None,
    notify_customer: bool = True,
) -> Case:
    before = getattr(case, field)
    if before == value:
        return case
    setattr(case, field, value)
    case.updated_at = timezone.now()
    case.save(update_fields=[field, "updated_at"])
    record_event(case, kind=kind, by=by, before=before, after=value)
    _react(CaseChange(case, field, before, value, by, notify_customer))
    return case


@transaction.atomic
def change_status(
    case: Case, *, status: str, by: User | None, notify_customer: bool = True
) -> Case:
    """Move the case to a status; resolving and closing stamp their times. The apps plugged
    into "case_changed" react (the portal tells the customer, for the statuses set to
    notify), told whether `notify_customer` is off because something else already tells them
    (a reply)."""
    now = timezone.now()
    if status == Case.Status.RESOLVED and case.resolved_at is None:
        case.resolved_at = now
        case.save(update_fields=["resolved_at"])
    elif status == Case.Status.CLOSED and case.closed_at is None:
        case.closed_at = now
        case.save(update_fields=["closed_at"])
    elif status in Case.OPEN_STATUSES and (case.resolved_at or case.closed_at):
        case.resolved_at = case.closed_at = None
        case.save(update_fields=["resolved_at", "closed_at"])
    before = case.status
    if before != status:
        note_status_change(case, before=before, after=status, at=now)
    _change_field(
        case,
        field="status",
        value=status,
        kind=Event.Kind.STATUS,
        by=by,
        notify_customer=notify_customer,
    )
    return case


@transaction.atomic
def change_priority(case: Case, *, priority: str, by: User | None) -> Case:
    return _change_field(case, field="priority", value=priority, kind=Event.Kind.PRIORITY, by=by)


@transaction.atomic
def change_kind(case: Case, *, kind: str, by: User | None) -> Case:
    return _change_field(case, field="kind", value=kind, kind=Event.Kind.KIND, by=by)


@transaction.atomic
def change_team(case: Case, *, team: Team, by: User | None) -> Case:
    """Hand the case to another team. An assignee who is not a member of it lets go."""
    if case.team_id == team.pk:
        return case
    previous = case.team
    if case.assignee_id is not None and not team.members.filter(pk=case.assignee_id).exists():
        assign_case(case, to=None, by=by)
    case.team = team
    case.updated_at = timezone.now()
    case.save(update_fields=["team", "updated_at"])
    record_event(case, kind=Event.Kind.TEAM, by=by, before=previous.name, after=team.name)
    _react(CaseChange(case, "team", previous, team, by))
    return case


@transaction.atomic
def set_tags(case: Case, *, names: list[str], by: User | None) -> Case:
    """Replace the case's tags with `names` (created as needed) and record what changed."""
    wanted = {name.strip().lower()[:50] for name in names if name.strip()}
    current = set(case.tags.values_list("name", flat=True))
    if wanted == current:
        return case
    tags = [Tag.objects.get_or_create(name=name)[0] for name in sorted(wanted)]
    case.tags.set(tags)
    case.updated_at = timezone.now()
    case.save(update_fields=["updated_at"])
    record_event(
        case,
        kind=Event.Kind.TAGGED,
        by=by,
        added=sorted(wanted - current),
        removed=sorted(current - wanted),
    )
    return case


def add_note(case: Case, *, by: User, body_text: str) -> Interaction:
    """An internal note: on the timeline for staff, never shown or sent to the customer."""
    return add_interaction(
        case,
        channel=Channel.INTERNAL,
        direction=Interaction.Direction.INTERNAL,
        body_text=body_text,
        author=by,
    )


class AttachmentTooLarge(Refused):
    pass


def store_attachment(
    interaction: Interaction,
    *,
    filename: str,
    content: bytes,
    content_type: str = "application/octet-stream",
    content_id: str = "",
    inline: bool = False,
) -> Attachment:
    """Keep a file on an interaction, stored once by its SHA-256 whoever sends it again."""
    if len(content) > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentTooLarge(
            _("“%(name)s” is larger than the %(limit)s MB limit.")
            % {"name": filename, "limit": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        )
    digest = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        interaction=interaction,
        filename=safe_filename(filename),
        content_type=(content_type or "application/octet-stream")[:127],
        size=len(content),
        sha256=digest,
        content_id=content_id.strip("<>")[:255],
        is_inline=inline,
    )
    # The same bytes already on disk are shared; a size that differs is a write cut short,
    # replaced whole (core.files.write_atomically: nothing half-written ever has the name).
    stored = attachment_path(attachment, attachment.filename)
    storage = attachment.file.storage
    if storage.exists(stored) and storage.size(stored) == len(content):
        attachment.file.name = stored
    else:
        attachment.file.name = write_atomically(storage, stored, content)
        attachment.written = True  # type: ignore[attr-defined]  # new on disk: see inbound
    attachment.save()
    return attachment


@transaction.atomic
def add_reply(
    case: Case,
    *,
    by: User | None,
    body_text: str,
    body_html: str = "",
    subject: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> Interaction:
    """Answer the customer: the message goes out (see `send_to_customer`), a case nobody had
    goes to the agent who answered (if the team wants it), and a case that was new or open
    now waits on the customer.

    `attachments` are (file name, content, content type) triples.
    """
    interaction = send_to_customer(
        case,
        by=by,
        body_text=body_text,
        body_html=body_html,
        subject=subject,
        attachments=attachments,
    )
    take_if_nobody_has(case, agent=by)
    if case.status == Case.Status.NEW or case.status == Case.Status.OPEN:
        change_status(case, status=Case.Status.PENDING_CUSTOMER, by=by, notify_customer=False)
    return interaction


@transaction.atomic
def send_to_customer(
    case: Case,
    *,
    by: User | None,
    body_text: str,
    body_html: str = "",
    subject: str = "",
    attachments: Iterable[tuple[str, bytes, str]] = (),
    meta: dict[str, Any] | None = None,
) -> Interaction:
    """Put an email to the customer on the timeline; it goes out after commit, through the
    tasks queue (retried there, never sent twice). The case status is left as it is."""
    interaction = add_interaction(
        case,
        channel=Channel.EMAIL,
        direction=Interaction.Direction.OUTBOUND,
        body_text=body_text,
        body_html=body_html,
        subject=subject or case.subject,
        author=by,
        meta=meta,
    )
    for filename, content, content_type in attachments:
        store_attachment(interaction, filename=filename, content=content, content_type=content_type)
    interaction.delivery_status = Interaction.DeliveryStatus.QUEUED
    interaction.save(update_fields=["delivery_status"])
    _deliver_on_commit(interaction)
    return interaction


def _deliver_on_commit(interaction: Interaction) -> None:
    """Hand the interaction to its channel's delivery (the app plugged into
    "deliver:<channel>", e.g. email's task queue) once the transaction commits."""
    deliver = plugged_one(f"deliver:{interaction.channel}")
    if deliver is None:
        raise ValueError(f"No app delivers {interaction.channel!r} messages")
    pk = interaction.pk
    transaction.on_commit(lambda: deliver(pk))


@transaction.atomic
def mark_delivery(interaction: Interaction, *, status: str, error: str = "") -> Interaction:
    """Record the outcome of sending an interaction; a failure is shown on its case."""
    interaction.delivery_status = status
    fields = ["delivery_status"]
    if status == Interaction.DeliveryStatus.SENT:
        interaction.sent_at = timezone.now()
        fields.append("sent_at")
    if error:
        interaction.meta = {**interaction.meta, "delivery_error": error[:2000]}
        fields.append("meta")
    interaction.save(update_fields=fields)
    if status in {Interaction.DeliveryStatus.FAILED, Interaction.DeliveryStatus.UNCERTAIN}:
        record_event(
            interaction.case,
            kind=Event.Kind.DELIVERY,
            interaction_id=interaction.pk,
            status=status,
            error=error[:500],
        )
    return interaction


@transaction.atomic
def retry_delivery(interaction: Interaction, *, by: User | None) -> Interaction:
    """Queue an unsent message to the customer for an attempt now (the desk's Retry button).

    A sent interaction, a note, a call or a message of a channel that delivers nothing is
    left as it is. The caller checks that `by` may act on the case (access_case). The attempt
    runs after commit; a scheduled automatic retry that is still waiting no longer stands.
    """
    # Re-read under lock: a worker may have recorded an attempt since the caller loaded it.
    interaction = (
        Interaction.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=interaction.pk)
    )
    if (
        interaction.sent_at is not None
        or interaction.delivery_status == Interaction.DeliveryStatus.SENT
        or interaction.direction != Interaction.Direction.OUTBOUND
        or plugged_one(f"deliver:{interaction.channel}") is None
    ):
        return interaction
    interaction.meta = {key: value for key, value in interaction.meta.items() if key != "retry_at"}
    interaction.delivery_status = Interaction.DeliveryStatus.QUEUED
    interaction.save(update_fields=["meta", "delivery_status"])
    record_event(
        interaction.case,
        kind=Event.Kind.DELIVERY,
        by=by,
        interaction_id=interaction.pk,
        status=Interaction.DeliveryStatus.QUEUED,
    )
    _deliver_on_commit(interaction)
    return interaction


def mark_presence(case: Case, *, user: User, replying: bool = False) -> Presence:
    """Note that `user` has the case open now, and whether they are writing to the customer.

    A plain "viewing" heartbeat keeps a recent "replying" mark: the page polls while the
    agent types. The mark lapses PRESENCE_SECONDS after the last keystroke.
    """
    now = timezone.now()
    defaults: dict[str, Any] = {"seen_at": now}
    if replying:
        defaults |= {"activity": Presence.Activity.REPLYING, "replying_at": now}
    presence, _created = Presence.objects.update_or_create(case=case, user=user, defaults=defaults)
    if not replying and presence.activity == Presence.Activity.REPLYING:
        cutoff = now - timedelta(seconds=settings.PRESENCE_SECONDS)
        if not presence.is_replying(cutoff):
            presence.activity = Presence.Activity.VIEWING
            presence.save(update_fields=["activity"])
    return presence


def stop_replying(case: Case, *, user: User) -> None:
    Presence.objects.filter(case=case, user=user).update(
        activity=Presence.Activity.VIEWING, replying_at=None
    )


class SomeoneElseReplying(Exception):
    """Another agent is writing to this customer; the reply needs "send anyway"."""

    def __init__(self, agents: list[User]) -> None:
        super().__init__(", ".join(str(agent) for agent in agents))
        self.agents = agents


@transaction.atomic
def reply_from_desk(
    case: Case,
    *,
    by: User,
    body_text: str,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    send_anyway: bool = False,
    then_status: str = "",
) -> Interaction:
    """An agent's reply from the case page. Refused (SomeoneElseReplying) while another agent
    is writing to the same customer, unless the agent confirmed "send anyway", so two agents
    do not both answer. `then_status` (a macro's "then set status") is applied after the
    reply. The caller holds the case's row lock.
    """
    replying = others_replying(case, by)
    if replying and not send_anyway:
        raise SomeoneElseReplying(replying)
    interaction = add_reply(case, by=by, body_text=body_text, attachments=attachments)
    if then_status:
        change_status(case, status=then_status, by=by, notify_customer=False)
    stop_replying(case, user=by)
    return interaction
