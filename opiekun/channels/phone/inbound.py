"""Phone contacts → interactions: calls logged by agents, calls reported by a phone system,
and call-backs. A missed inbound call becomes a call-back request so nobody is forgotten."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.services import Contact, CustomerMessage, bring_in, change_status
from opiekun.channels.phone.events import call_logged_event
from opiekun.channels.phone.models import CallbackRequest, Outcome, PhoneCall
from opiekun.core.errors import Refused
from opiekun.customers.models import Customer, Identity
from opiekun.customers.services import current_record, find_or_create_customer, normalise_phone

MISSED_CALL_CALLBACK_WITHIN = timedelta(hours=2)


class PhoneError(Refused):
    pass


@transaction.atomic
def log_call(
    *,
    number: str,
    direction: str,
    team: Team,
    by: User | None,
    started_at: datetime,
    ended_at: datetime,
    outcome: str,
    notes: str = "",
    name: str = "",
    case: Case | None = None,
    subject: str = "",
    kind: str = Case.Kind.QUESTION,
    language: str | None = None,
    callback_due: datetime | None = None,
    callback_reason: str = "",
) -> Interaction:
    """Record a call on a case (the one given, or a new one) with its handle time, and its
    outcome on the timeline. With `callback_due` the customer is to be called back: the
    request joins the team's call-back queue and its due time shows on the timeline.

    Without a case the number finds (or makes) the customer, as the number that called or was
    called. With one, the call is the case's customer's; a number nobody holds is not added to
    them, since an agent typing it beside the case proves nothing."""
    if ended_at < started_at:
        raise PhoneError(_("A call cannot end before it starts."))
    if case is not None:
        owner = _customer_for(normalise_phone(number))
        if owner is not None and owner.pk != case.customer_id:
            raise PhoneError(_("That case belongs to another customer."))
        customer = case.customer
    else:
        customer = find_or_create_customer(
            phone=number,
            name=name,
            language=language or "pl",
            proof=Identity.Proof.CONTACT,
            channel=Channel.PHONE,
        )
    message = CustomerMessage(
        channel=Channel.PHONE, direction=direction, body_text=notes, author=by,
        started_at=started_at, ended_at=ended_at,
        handle_seconds=int((ended_at - started_at).total_seconds()),
        meta={"outcome": outcome, "number": normalise_phone(number)},
    )  # fmt: skip
    contact = Contact(
        customer=customer, message=message, case=case, team=team,
        subject=subject or _("Phone call"), kind=kind, language=language, by=by, when=started_at,
    )  # fmt: skip
    interaction = bring_in([contact])[0].interaction
    if callback_due is not None:
        request_callback(
            interaction.case.customer, number=number, due_at=callback_due, team=team, by=by,
            reason=callback_reason or interaction.case.subject, case=interaction.case,
        )  # fmt: skip
    call_logged_event(
        interaction.case, by=by, interaction=interaction, outcome=outcome, callback_due=callback_due
    )
    if outcome == Outcome.RESOLVED:
        # "Problem solved" on the phone resolves the case; the customer is told as usual.
        change_status(interaction.case, status=Case.Status.RESOLVED, by=by)
    return interaction


def request_callback(
    customer: Customer,
    *,
    number: str,
    due_at: datetime,
    reason: str,
    team: Team,
    by: User | None,
    case: Case | None = None,
) -> CallbackRequest:
    return CallbackRequest.objects.create(
        customer=customer,
        case=case,
        team=team,
        number=normalise_phone(number),
        due_at=due_at,
        reason=reason,
        requested_by=by,
    )


@transaction.atomic
def complete_callback(
    callback: CallbackRequest,
    *,
    by: User,
    started_at: datetime,
    ended_at: datetime,
    outcome: str,
    notes: str = "",
) -> CallbackRequest:
    """Record the call-back as an outbound call; the time from request to call-back is kept."""
    if callback.done_at is not None:
        raise PhoneError(_("This call-back is already done."))
    interaction = log_call(
        number=callback.number,
        direction=Interaction.Direction.OUTBOUND,
        team=callback.team,
        by=by,
        started_at=started_at,
        ended_at=ended_at,
        outcome=outcome,
        notes=notes,
        case=callback.case,
        subject=callback.reason,
    )
    callback.done_at = started_at
    callback.done_by = by
    callback.interaction = interaction
    callback.case = interaction.case
    callback.save(update_fields=["done_at", "done_by", "interaction", "case"])
    return callback


def _customer_for(number: str) -> Customer | None:
    """Who holds the number (shown while it rings), following merges."""
    identity = Identity.objects.select_related("customer").filter(
        kind=Identity.Kind.PHONE, value=number
    )
    found = identity.first()
    return current_record(found.customer) if found else None


@transaction.atomic
def handle_telephony_event(
    *,
    event: str,
    call_id: str,
    number: str,
    at: datetime | None = None,
    agent: User | None = None,
    direction: str = "inbound",
    team: Team | None = None,
) -> PhoneCall:
    """Apply one event from a phone system (ringing, answered, ended). Events may repeat or
    arrive late; each call is logged on a case exactly once, when it ends."""
    at = at or timezone.now()
    number = normalise_phone(number)
    call, _created = PhoneCall.objects.select_for_update().get_or_create(
        call_id=call_id,
        defaults={
            "number": number,
            "direction": direction,
            "rang_at": at,
            "agent": agent,
            "customer": _customer_for(number),
        },
    )
    if agent is not None and call.agent_id is None:
        call.agent = agent
    if event == "answered" and call.answered_at is None:
        call.answered_at = at
        call.state = PhoneCall.State.ANSWERED
    elif event == "ended" and call.ended_at is None:
        call.ended_at = at
        call.state = PhoneCall.State.ENDED
        _log_ended_call(call, team=team)
    call.save()
    return call


def _log_ended_call(call: PhoneCall, *, team: Team | None) -> None:
    agent = call.agent
    team = team or (agent.teams.first() if agent is not None else None) or Team.objects.first()
    if team is None:
        raise PhoneError(_("No team to log the call for."))
    assert call.ended_at is not None  # noqa: S101 (set by the caller)
    missed = call.answered_at is None
    # Looked up again, not taken from the ringing: the number decides through the one rule.
    customer = find_or_create_customer(
        phone=call.number, proof=Identity.Proof.CONTACT, channel=Channel.PHONE
    )
    case = (
        Case.objects.filter(customer=customer, team=team, status__in=Case.OPEN_STATUSES)
        .order_by("-updated_at")
        .first()
    )
    calls_back = missed and call.direction == "inbound"
    interaction = log_call(
        number=call.number,
        direction=call.direction,
        team=team,
        by=agent,
        started_at=call.answered_at or call.rang_at,
        ended_at=call.ended_at,
        outcome=Outcome.NO_ANSWER if missed else Outcome.ANSWERED,
        case=case,
        subject=_("Missed call") if missed else _("Phone call"),
        callback_due=call.ended_at + MISSED_CALL_CALLBACK_WITHIN if calls_back else None,
        callback_reason=_("Missed call"),
    )
    call.customer = customer
    call.interaction = interaction
