"""The timeline event of a call: its outcome and, when the customer is to be called back, by
when (`EVENTS`, plugged into "timeline_events"). *(Saleor `saleor/order/events.py`.)*"""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime

from opiekun.accounts.models import User
from opiekun.cases.events import EventKind, record_event
from opiekun.cases.models import Case, Event, Interaction
from opiekun.channels.phone.models import Outcome


def call_logged_event(
    case: Case,
    *,
    by: User | None,
    interaction: Interaction,
    outcome: str,
    callback_due: datetime | None = None,
) -> Event:
    """How the call went (`Outcome`) and, if a call-back was asked for, by when."""
    payload: dict[str, object] = {"outcome": outcome, "interaction": interaction.pk}
    if callback_due is not None:
        payload["callback_due"] = callback_due.isoformat()
    return record_event(case, kind=Event.Kind.CALL, by=by, when=interaction.started_at, **payload)


def local_datetime(value: object) -> str:
    """A stored ISO time as the reader's language writes it, in the site's time zone; the
    stored text itself if it is not a time."""
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        return str(value or "")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return formats.date_format(timezone.localtime(parsed), "SHORT_DATETIME_FORMAT")


def _outcome_label(value: str) -> str:
    try:
        return str(Outcome(value).label)
    except ValueError:
        return str(value)


def _call_labels(event: Event) -> dict[str, str]:
    labels = {"outcome": _outcome_label(str(event.payload.get("outcome", "")))}
    if event.payload.get("callback_due"):
        labels["callback_due"] = local_datetime(event.payload["callback_due"])
    return labels


EVENTS: dict[str, EventKind] = {
    Event.Kind.CALL: EventKind(
        label=Event.Kind.CALL.label, template="phone/events/_call.html", labels=_call_labels
    ),
}
