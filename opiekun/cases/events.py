"""The kinds of timeline event cases owns: how each is named, rendered and labelled.

Each app that records events declares its kinds in an `EVENTS` mapping plugged into
"timeline_events" (see opiekun/core/plugins.py); `cases.selectors.timeline_events` merges them.
The other apps' kinds live in their own `events.py` (sla, complaints, feedback), with one
small function per event that records it. *(Saleor `saleor/order/events.py`.)*
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from opiekun.accounts.models import User
from opiekun.cases.models import Case, CaseLink, Channel, Event, Interaction

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def record_event(
    case: Case, *, kind: str, by: User | None = None, when: datetime | None = None, **payload: Any
) -> Event:
    """Record one change to a case on its timeline (who, what, when)."""
    return Event.objects.create(
        case=case, kind=kind, actor=by, payload=payload, created_at=when or timezone.now()
    )


@dataclass(frozen=True)
class EventKind:
    """How the timeline shows one kind of event.

    `label` names the kind (lazily translated); `template` renders one event of the kind with
    `event` and `labels` in its context; `labels`, if given, returns display values for the
    event's payload (choice labels in the user's language), merged over the actor's name.
    """

    label: "StrOrPromise"
    template: str
    labels: Callable[[Event], dict[str, str]] | None = None


def _label(choices: Any, value: object) -> str:
    """The display label of a stored choice; the value itself if the choice is gone."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _before_after(choices: Any) -> Callable[[Event], dict[str, str]]:
    def labels(event: Event) -> dict[str, str]:
        return {
            "before": _label(choices, event.payload.get("before", "")),
            "after": _label(choices, event.payload.get("after", "")),
        }

    return labels


def _link_labels(event: Event) -> dict[str, str]:
    return {"link": _label(CaseLink.Kind, event.payload.get("link", ""))}


def _delivery_labels(event: Event) -> dict[str, str]:
    return {"status": _label(Interaction.DeliveryStatus, event.payload.get("status", ""))}


def _created_labels(event: Event) -> dict[str, str]:
    return {"channel": _label(Channel, event.payload.get("channel", ""))}


def _kind(kind: Event.Kind, labels: Callable[[Event], dict[str, str]] | None = None) -> EventKind:
    return EventKind(
        label=kind.label, template=f"cases/partials/events/_{kind.value}.html", labels=labels
    )


EVENTS: dict[str, EventKind] = {
    Event.Kind.CREATED: _kind(Event.Kind.CREATED, _created_labels),
    Event.Kind.ASSIGNED: _kind(Event.Kind.ASSIGNED),
    Event.Kind.STATUS: _kind(Event.Kind.STATUS, _before_after(Case.Status)),
    Event.Kind.PRIORITY: _kind(Event.Kind.PRIORITY, _before_after(Case.Priority)),
    Event.Kind.KIND: _kind(Event.Kind.KIND, _before_after(Case.Kind)),
    Event.Kind.TEAM: _kind(Event.Kind.TEAM),
    Event.Kind.TAGGED: _kind(Event.Kind.TAGGED),
    Event.Kind.MERGED: _kind(Event.Kind.MERGED),
    Event.Kind.SPLIT: _kind(Event.Kind.SPLIT),
    Event.Kind.LINKED: _kind(Event.Kind.LINKED, _link_labels),
    Event.Kind.UNLINKED: _kind(Event.Kind.UNLINKED, _link_labels),
    Event.Kind.CUSTOMER: _kind(Event.Kind.CUSTOMER),
    Event.Kind.SUBJECT: _kind(Event.Kind.SUBJECT),
    Event.Kind.DELIVERY: _kind(Event.Kind.DELIVERY, _delivery_labels),
}

# What the timeline shows for an event whose kind no installed app declares (an app was
# removed, or a kind was renamed): who did it and the kind's name.
GENERIC_TEMPLATE = "cases/partials/events/_generic.html"
