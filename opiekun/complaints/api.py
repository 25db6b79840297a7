"""Complaints in the JSON API: create one with its regime and moment of receipt (the answer
comes back with its statutory `answer_due`), and read its state, understanding check and
decision."""

from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema, Status

from opiekun.api.auth import caller
from opiekun.api.errors import ApiError, Code, invalid
from opiekun.cases.models import Channel
from opiekun.cases.selectors import access_case
from opiekun.complaints.models import Complaint, ComplaintRegime
from opiekun.complaints.selectors import delivered_at, visible_complaints
from opiekun.complaints.services import ComplaintError, register_complaint

router = Router()

UNKNOWN_REGIME = _("No such complaint regime.")


class ComplaintIn(Schema):
    case: str
    regime: str
    received_at: datetime
    received_channel: Channel = Channel.EMAIL
    customer_type: Complaint.CustomerType = Complaint.CustomerType.CONSUMER
    sole_trader_as_consumer: bool = False
    subject_matter: str
    order_reference: str = ""
    description: str
    noticed_on: date | None = None
    demand: Complaint.Demand
    demand_amount: Decimal | None = None
    demand_details: str = ""


class UnderstandingOut(Schema):
    text: str
    recorded_at: datetime | None
    confirmed_at: datetime | None
    confirmed_via: str


class ProposalOut(Schema):
    text: str
    made_at: datetime
    understanding_was_confirmed: bool
    outcome: str


class DecisionOut(Schema):
    decision: str
    reasons: str
    decided_at: datetime | None
    delivered_at: datetime | None


class ComplaintOut(Schema):
    case: str
    regime: str
    state: str
    customer_type: str
    sole_trader_as_consumer: bool
    subject_matter: str
    order_reference: str
    description: str
    demand: str
    demand_amount: Decimal | None
    received_at: datetime
    received_channel: str
    answer_due: date
    extended_due: date | None
    understanding: UnderstandingOut
    proposals: list[ProposalOut]
    decision: DecisionOut | None


def complaint_out(complaint: Complaint) -> ComplaintOut:
    return ComplaintOut(
        case=complaint.case.number,
        regime=complaint.regime.code,
        state=complaint.state,
        customer_type=complaint.customer_type,
        sole_trader_as_consumer=complaint.sole_trader_as_consumer,
        subject_matter=complaint.subject_matter,
        order_reference=complaint.order_reference,
        description=complaint.description,
        demand=complaint.demand,
        demand_amount=complaint.demand_amount,
        received_at=complaint.received_at,
        received_channel=complaint.received_channel,
        answer_due=complaint.answer_due,
        extended_due=complaint.extended_due,
        understanding=UnderstandingOut(
            text=complaint.understanding,
            recorded_at=complaint.understanding_recorded_at,
            confirmed_at=complaint.understanding_confirmed_at,
            confirmed_via=complaint.understanding_confirmed_via,
        ),
        proposals=[
            ProposalOut(
                text=p.text,
                made_at=p.made_at,
                understanding_was_confirmed=p.understanding_was_confirmed,
                outcome=p.outcome,
            )
            for p in complaint.proposals.all()
        ],
        decision=DecisionOut(
            decision=complaint.decision,
            reasons=complaint.decision_reasons,
            decided_at=complaint.decided_at,
            delivered_at=delivered_at(complaint),
        )
        if complaint.decision
        else None,
    )


@router.post("", response={201: ComplaintOut})
def create_complaint(request: HttpRequest, payload: ComplaintIn) -> Status[ComplaintOut]:
    user = caller(request)
    regime = ComplaintRegime.objects.filter(code=payload.regime, is_active=True).first()
    if regime is None:
        raise invalid(UNKNOWN_REGIME)
    data = payload.dict(exclude={"case", "regime"})
    with transaction.atomic():
        case = access_case(user, payload.case, for_update=True)
        try:
            complaint = register_complaint(case, regime=regime, by=user, **data)
        except ComplaintError as error:
            raise ApiError(409, Code.CONFLICT, str(error)) from None
    return Status(201, complaint_out(complaint))


@router.get("/{number}", response=ComplaintOut)
def get_complaint(request: HttpRequest, number: str) -> ComplaintOut:
    user = caller(request)
    case = access_case(user, number)
    complaint = (
        visible_complaints(user)
        .prefetch_related("proposals", "letters__interaction")
        .filter(case=case)
        .first()
    )
    if complaint is None:
        raise ApiError(404, Code.NOT_FOUND, _("This case is not a complaint."))
    return complaint_out(complaint)
