"""The timeline events of goodwill gestures: one small function per event, and how the
timeline shows them (`EVENTS`, plugged into "timeline_events").
*(Saleor `saleor/order/events.py`.)*"""

from decimal import Decimal

from django.db.models import TextChoices

from opiekun.accounts.models import User
from opiekun.cases.events import EventKind, record_event
from opiekun.cases.models import Case, Event


class GoodwillEvent(TextChoices):
    """What happened to a gesture (`payload["what"]` of a "goodwill" event); the values are
    those of `GoodwillGesture.State` it moved to."""

    GRANTED = "granted"
    AWAITING = "awaiting"
    REJECTED = "rejected"


def _record(
    case: Case, what: GoodwillEvent, *, by: User, gesture: str, value: Decimal, currency: str
) -> Event:
    return record_event(
        case,
        kind=Event.Kind.GOODWILL,
        by=by,
        what=what,
        gesture=gesture,
        value=str(value),
        currency=currency,
    )


def goodwill_granted_event(
    case: Case, *, by: User, gesture: str, value: Decimal, currency: str
) -> Event:
    """A gesture (`GoodwillGesture.Kind`) granted: within the agent's limit, or approved."""
    return _record(
        case, GoodwillEvent.GRANTED, by=by, gesture=gesture, value=value, currency=currency
    )


def goodwill_awaiting_event(
    case: Case, *, by: User, gesture: str, value: Decimal, currency: str
) -> Event:
    """A gesture above the agent's limit, waiting for someone with the authority."""
    return _record(
        case, GoodwillEvent.AWAITING, by=by, gesture=gesture, value=value, currency=currency
    )


def goodwill_rejected_event(
    case: Case, *, by: User, gesture: str, value: Decimal, currency: str
) -> Event:
    """A gesture waiting for approval that `by` did not approve."""
    return _record(
        case, GoodwillEvent.REJECTED, by=by, gesture=gesture, value=value, currency=currency
    )


EVENTS: dict[str, EventKind] = {
    Event.Kind.GOODWILL: EventKind(
        label=Event.Kind.GOODWILL.label, template="feedback/events/_goodwill.html"
    ),
}
