"""Reading complaints: the deadline board, the register, and how well teams listen."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils import timezone

from opiekun.accounts.models import User
from opiekun.cases.selectors import visible_cases
from opiekun.complaints.models import Complaint, ComplaintRegime, Proposal
from opiekun.customers.models import Customer, KnownFact

WARN_FROM_DAY = 10  # a complaint this many days old shows a warning on the board


def visible_complaints(user: User) -> QuerySet[Complaint]:
    return Complaint.objects.filter(case__in=visible_cases(user)).select_related(
        "case", "case__customer", "regime"
    )


@dataclass(frozen=True)
class BoardRow:
    complaint: Complaint
    days_left: int
    urgency: str  # "ok", "warning" (from day 10), "overdue"


def deadline_board(user: User, *, today: date | None = None) -> list[BoardRow]:
    """Open complaints by deadline, with the days left and a warning from day 10."""
    today = today or timezone.localdate()
    open_complaints = visible_complaints(user).exclude(state=Complaint.State.DELIVERED)
    rows = []
    for complaint in sorted(open_complaints, key=lambda c: c.due):
        days_left = (complaint.due - today).days
        age = (today - timezone.localtime(complaint.received_at).date()).days
        if days_left < 0:
            urgency = "overdue"
        elif age >= WARN_FROM_DAY:
            urgency = "warning"
        else:
            urgency = "ok"
        rows.append(BoardRow(complaint, days_left, urgency))
    return rows


@dataclass(frozen=True)
class ListeningMetrics:
    complaints_with_proposal: int
    confirmed_before_proposal: int
    first_proposals_answered: int
    first_proposals_accepted: int

    @property
    def confirmed_share(self) -> float | None:
        if not self.complaints_with_proposal:
            return None
        return self.confirmed_before_proposal / self.complaints_with_proposal

    @property
    def first_acceptance_rate(self) -> float | None:
        if not self.first_proposals_answered:
            return None
        return self.first_proposals_accepted / self.first_proposals_answered


def listening_metrics(complaints: QuerySet[Complaint]) -> ListeningMetrics:
    """Share of complaints whose understanding was confirmed before the first proposal, and
    how often that first proposal was accepted."""
    firsts: dict[int, Proposal] = {}
    for proposal in Proposal.objects.filter(complaint__in=complaints).order_by("made_at", "id"):
        firsts.setdefault(proposal.complaint_id, proposal)
    answered = [p for p in firsts.values() if p.outcome != Proposal.Outcome.PENDING]
    return ListeningMetrics(
        complaints_with_proposal=len(firsts),
        confirmed_before_proposal=sum(p.understanding_was_confirmed for p in firsts.values()),
        first_proposals_answered=len(answered),
        first_proposals_accepted=sum(p.outcome == Proposal.Outcome.ACCEPTED for p in answered),
    )


def complaint_register(
    user: User,
    *,
    regime: ComplaintRegime | None = None,
    state: str = "",
    decision: str = "",
    received_from: date | None = None,
    received_to: date | None = None,
) -> QuerySet[Complaint]:
    """Every visible complaint for the register, newest first, with what an audit asks."""
    complaints = visible_complaints(user).prefetch_related("letters__interaction")
    if regime is not None:
        complaints = complaints.filter(regime=regime)
    if state:
        complaints = complaints.filter(state=state)
    if decision:
        complaints = complaints.filter(decision=decision)
    if received_from:
        complaints = complaints.filter(received_at__date__gte=received_from)
    if received_to:
        complaints = complaints.filter(received_at__date__lte=received_to)
    return complaints.order_by("-received_at", "-id")


def delivered_at(complaint: Complaint) -> "datetime | None":
    """When the decision letter's email was sent; None until then."""
    sent = [letter.interaction.sent_at for letter in complaint.letters.all()]
    return min((moment for moment in sent if moment is not None), default=None)


def answered_in_time(complaint: Complaint) -> bool | None:
    """True/False once delivered; None while the answer is still open."""
    moment = delivered_at(complaint)
    if moment is None:
        return None
    local = timezone.localtime(moment, complaint.regime.calendar.zone).date()
    return local <= complaint.due


def postal_address(customer: Customer) -> list[str]:
    """The lines of the address a letter to the customer carries: their latest address
    among the known facts ("ul. Długa 12/4, 00-238 Warszawa" → two lines); none if unknown."""
    fact = customer.facts.filter(kind=KnownFact.Kind.ADDRESS).order_by("-created_at", "-id").first()
    if fact is None:
        return []
    return [line.strip() for line in fact.value.replace("\n", ",").split(",") if line.strip()]
