"""The telephony webhook: a phone system reports calls ringing, answered and ended, so calls
are logged by themselves and the customer's record pops up on the agent's screen."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from opiekun.accounts.models import Team, User
from opiekun.api.auth import caller
from opiekun.api.errors import ApiError, Code, invalid
from opiekun.channels.phone.inbound import PhoneError, handle_telephony_event
from opiekun.customers.services import InvalidIdentity

router = Router()


class CallEventIn(Schema):
    event: Literal["ringing", "answered", "ended"]
    call_id: str
    caller: str
    direction: Literal["inbound", "outbound"] = "inbound"
    agent: str | None = None
    team: int | None = None
    at: datetime | None = None


class CallCustomerOut(Schema):
    id: int
    name: str


class CallOut(Schema):
    call_id: str
    state: str
    customer: CallCustomerOut | None
    case: str | None


@router.post("/events", response=CallOut)
def call_event(request: HttpRequest, payload: CallEventIn) -> CallOut:
    """Managers and admins hold the phone system's token."""
    user = caller(request)
    if not user.sees_all_teams:
        raise ApiError(
            403, Code.PERMISSION_DENIED, _("Only a manager's or an admin's token may report calls.")
        )
    agent = None
    if payload.agent:
        agent = User.objects.filter(username=payload.agent, is_active=True).first()
        if agent is None:
            raise invalid(_("No such agent."))
    team = Team.objects.filter(pk=payload.team).first() if payload.team else None
    try:
        call = handle_telephony_event(
            event=payload.event, call_id=payload.call_id, number=payload.caller,
            direction=payload.direction, agent=agent, at=payload.at, team=team,
        )  # fmt: skip
    except (PhoneError, InvalidIdentity) as error:
        raise invalid(str(error)) from None
    customer = call.customer
    return CallOut(
        call_id=call.call_id,
        state=call.state,
        customer=CallCustomerOut(id=customer.pk, name=customer.name) if customer else None,
        case=call.interaction.case.number if call.interaction else None,
    )
