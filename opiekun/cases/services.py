"""Changing cases: opening, numbering, the timeline, and every recorded change.

Channels (email, phone, visits, web, portal, API) call these; nothing here knows a channel's
details.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, CaseNumber, Event, Interaction
from opiekun.customers.models import Customer


def next_case_number(when: datetime | None = None) -> str:
    """Take the next human-readable number for the year, e.g. 2026-000123.

    The sequence row is locked, so two processes never issue the same number.
    """
    year = timezone.localtime(when or timezone.now()).year
    with transaction.atomic():
        CaseNumber.objects.get_or_create(year=year)
        sequence = CaseNumber.objects.select_for_update().get(year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"{year}-{sequence.last:06d}"


def record_event(
    case: Case, *, kind: str, by: User | None = None, when: datetime | None = None, **payload: Any
) -> Event:
    """Record one change to a case on its timeline (who, what, when)."""
    return Event.objects.create(
        case=case, kind=kind, actor=by, payload=payload, created_at=when or timezone.now()
    )


@transaction.atomic
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
    when = when or timezone.now()
    case = Case.objects.create(
        number=next_case_number(when),
        subject=subject[:300],
        customer=customer,
        team=team,
        channel=channel,
        kind=kind,
        priority=priority,
        language=language or customer.language,
        created_at=when,
        updated_at=when,
    )
    record_event(case, kind=Event.Kind.CREATED, by=by, when=when, channel=channel)
    return case


@transaction.atomic
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

    A customer's message reopens a case that waited on them or was resolved; the first
    outbound answer sets `first_response_at`. `body_html` must already be sanitised.
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
    fields = ["updated_at"]
    case.updated_at = max(case.updated_at, started_at)
    if direction == Interaction.Direction.INBOUND and case.status in {
        Case.Status.PENDING_CUSTOMER,
        Case.Status.RESOLVED,
    }:
        record_event(case, kind=Event.Kind.STATUS, before=case.status, after=Case.Status.OPEN)
        case.status = Case.Status.OPEN
        fields.append("status")
    if direction == Interaction.Direction.OUTBOUND and case.first_response_at is None:
        case.first_response_at = started_at
        fields.append("first_response_at")
    case.save(update_fields=fields)
    return interaction
