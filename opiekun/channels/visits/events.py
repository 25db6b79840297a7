"""The timeline event of a visit at the counter: where it was and how it ended (`EVENTS`,
plugged into "timeline_events"). *(Saleor `saleor/order/events.py`.)*"""

from opiekun.accounts.models import User
from opiekun.cases.events import EventKind, record_event
from opiekun.cases.models import Case, Event, Interaction
from opiekun.channels.visits.forms import VisitOutcome
from opiekun.channels.visits.models import ServicePoint


def visit_logged_event(
    case: Case, *, by: User, interaction: Interaction, outcome: str, point: ServicePoint
) -> Event:
    """How the visit went (`VisitOutcome`) and at which service point."""
    return record_event(
        case,
        kind=Event.Kind.VISIT,
        by=by,
        when=interaction.started_at,
        outcome=outcome,
        point=point.name,
        interaction=interaction.pk,
    )


def _visit_labels(event: Event) -> dict[str, str]:
    value = event.payload.get("outcome", "")
    try:
        outcome = str(VisitOutcome(value).label)
    except ValueError:
        outcome = str(value)
    return {"outcome": outcome}


EVENTS: dict[str, EventKind] = {
    Event.Kind.VISIT: EventKind(
        label=Event.Kind.VISIT.label, template="visits/events/_visit.html", labels=_visit_labels
    ),
}
