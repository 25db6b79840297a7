"""The timeline events of the complaint workflow: one small function per step, and how the
timeline shows them (`EVENTS`, plugged into "timeline_events").
*(Saleor `saleor/order/events.py`.)*"""

from datetime import date
from typing import Any

from django.db.models import TextChoices

from opiekun.accounts.models import User
from opiekun.cases.events import EventKind, record_event
from opiekun.cases.models import Case, Event


class ComplaintEvent(TextChoices):
    """Which step of the workflow a "complaint" event records (`payload["what"]`)."""

    REGISTERED = "registered"
    ACKNOWLEDGED = "acknowledged"
    UNDERSTANDING_RECORDED = "understanding_recorded"
    UNDERSTANDING_CONFIRMED = "understanding_confirmed"
    UNDERSTANDING_CORRECTED = "understanding_corrected"
    PROPOSED = "proposed"
    PROPOSAL_ANSWERED = "proposal_answered"
    DECIDED = "decided"
    EXTENDED = "extended"
    LETTER_SENT = "letter_sent"


def _record(case: Case, what: ComplaintEvent, *, by: User | None, **payload: Any) -> Event:
    return record_event(case, kind=Event.Kind.COMPLAINT, by=by, what=what, **payload)


def complaint_registered_event(case: Case, *, by: User | None, answer_due: date) -> Event:
    return _record(case, ComplaintEvent.REGISTERED, by=by, answer_due=answer_due.isoformat())


def complaint_acknowledged_event(case: Case, *, by: User | None, via: str) -> Event:
    """Receipt acknowledged to the customer, `via` the channel the complaint came in by."""
    return _record(case, ComplaintEvent.ACKNOWLEDGED, by=by, via=via)


def understanding_recorded_event(case: Case, *, by: User) -> Event:
    return _record(case, ComplaintEvent.UNDERSTANDING_RECORDED, by=by)


def understanding_confirmed_event(case: Case, *, by: User | None, via: str) -> Event:
    return _record(case, ComplaintEvent.UNDERSTANDING_CONFIRMED, by=by, via=via)


def understanding_corrected_event(case: Case, *, via: str) -> Event:
    """The customer corrected the paraphrase (nobody on staff did it)."""
    return _record(case, ComplaintEvent.UNDERSTANDING_CORRECTED, by=None, via=via)


def solution_proposed_event(case: Case, *, by: User, understanding_was_confirmed: bool) -> Event:
    return _record(
        case,
        ComplaintEvent.PROPOSED,
        by=by,
        understanding_was_confirmed=understanding_was_confirmed,
    )


def proposal_answered_event(case: Case, *, outcome: str) -> Event:
    """The customer accepted or declined the proposal (`Proposal.Outcome`)."""
    return _record(case, ComplaintEvent.PROPOSAL_ANSWERED, by=None, outcome=outcome)


def complaint_decided_event(case: Case, *, by: User, decision: str) -> Event:
    return _record(case, ComplaintEvent.DECIDED, by=by, decision=decision)


def deadline_extended_event(case: Case, *, by: User, new_due: date) -> Event:
    return _record(case, ComplaintEvent.EXTENDED, by=by, new_due=new_due.isoformat())


def decision_letter_sent_event(case: Case, *, by: User, sha256: str) -> Event:
    return _record(case, ComplaintEvent.LETTER_SENT, by=by, sha256=sha256)


EVENTS: dict[str, EventKind] = {
    Event.Kind.COMPLAINT: EventKind(
        label=Event.Kind.COMPLAINT.label, template="complaints/events/_complaint.html"
    ),
}
