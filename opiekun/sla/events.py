"""The timeline events of service levels and promises: one small function per event, and how
the timeline shows them (`EVENTS`, plugged into "timeline_events").
*(Saleor `saleor/order/events.py`.)*"""

from datetime import datetime
from typing import Any

from django.db.models import TextChoices

from opiekun.accounts.models import User
from opiekun.cases.events import EventKind, record_event
from opiekun.cases.models import Case, Event


class SlaEvent(TextChoices):
    """What happened to a service-level target (`payload["what"]` of an "sla" event)."""

    WARNING = "warning"
    BREACHED = "breached"


class CommitmentEvent(TextChoices):
    """What happened to a promise (`payload["what"]` of a "commitment" event)."""

    MADE = "made"
    KEPT = "kept"
    BROKEN = "broken"


def _record(
    case: Case, kind: str, *, by: User | None = None, when: datetime | None = None, **payload: Any
) -> Event:
    return record_event(case, kind=kind, by=by, when=when, **payload)


def _sla_event(
    case: Case, what: SlaEvent, *, target: str, due_at: datetime, when: datetime
) -> Event:
    return _record(
        case, Event.Kind.SLA, when=when, target=target, what=what, due_at=due_at.isoformat()
    )


def sla_warning_event(case: Case, *, target: str, due_at: datetime, when: datetime) -> Event:
    """A target (`SlaTarget.Kind`) is close to its due time."""
    return _sla_event(case, SlaEvent.WARNING, target=target, due_at=due_at, when=when)


def sla_breached_event(case: Case, *, target: str, due_at: datetime, when: datetime) -> Event:
    """A target (`SlaTarget.Kind`) was missed."""
    return _sla_event(case, SlaEvent.BREACHED, target=target, due_at=due_at, when=when)


def commitment_made_event(case: Case, *, by: User, description: str, due_at: datetime) -> Event:
    return _record(
        case,
        Event.Kind.COMMITMENT,
        by=by,
        what=CommitmentEvent.MADE,
        description=description,
        due_at=due_at.isoformat(),
    )


def commitment_kept_event(case: Case, *, by: User, description: str) -> Event:
    return _record(
        case, Event.Kind.COMMITMENT, by=by, what=CommitmentEvent.KEPT, description=description
    )


def commitment_broken_event(
    case: Case, *, description: str, by: User | None = None, when: datetime | None = None
) -> Event:
    """Broken: settled after its due time by `by`, or found past due by the worker."""
    return _record(
        case,
        Event.Kind.COMMITMENT,
        by=by,
        when=when,
        what=CommitmentEvent.BROKEN,
        description=description,
    )


EVENTS: dict[str, EventKind] = {
    Event.Kind.SLA: EventKind(label=Event.Kind.SLA.label, template="sla/events/_sla.html"),
    Event.Kind.COMMITMENT: EventKind(
        label=Event.Kind.COMMITMENT.label, template="sla/events/_commitment.html"
    ),
}
