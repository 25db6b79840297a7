"""Face-to-face contacts → interactions, and the walk-in queue that leads to them."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import User
from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.services import Contact, CustomerMessage, bring_in, change_status
from opiekun.channels.visits.events import visit_logged_event
from opiekun.channels.visits.forms import VisitOutcome
from opiekun.channels.visits.models import QueueTicket, ServicePoint
from opiekun.core.errors import Refused
from opiekun.customers.models import Customer


class VisitError(Refused):
    pass


@transaction.atomic
def take_ticket(point: ServicePoint, *, reason: str = "") -> QueueTicket:
    """The next number of the day at this service point."""
    ServicePoint.objects.select_for_update().get(pk=point.pk)  # numbers are issued one at a time
    today = timezone.localdate()
    last = (
        QueueTicket.objects.filter(point=point, day=today)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return QueueTicket.objects.create(point=point, day=today, number=(last or 0) + 1, reason=reason)


@transaction.atomic
def call_next(point: ServicePoint, *, by: User, desk: str = "") -> QueueTicket | None:
    """Call the customer who has waited longest; None when nobody waits."""
    ticket = (
        QueueTicket.objects.select_for_update(skip_locked=True)
        .filter(point=point, day=timezone.localdate(), state=QueueTicket.State.WAITING)
        .order_by("number")
        .first()
    )
    if ticket is None:
        return None
    ticket.state = QueueTicket.State.CALLED
    ticket.called_at = timezone.now()
    ticket.called_by = by
    ticket.desk = desk
    ticket.save(update_fields=["state", "called_at", "called_by", "desk"])
    return ticket


@transaction.atomic
def log_visit(
    *,
    point: ServicePoint,
    customer: Customer,
    by: User,
    reason: str,
    outcome: str,
    started_at: datetime,
    ended_at: datetime | None = None,
    notes: str = "",
    case: Case | None = None,
    kind: str = Case.Kind.QUESTION,
    ticket: QueueTicket | None = None,
) -> Interaction:
    """Record a visit at the counter on a case (the one given, or a new one), with its
    outcome on the timeline."""
    ended_at = ended_at or timezone.now()
    if case is not None and case.customer_id != customer.pk:
        raise VisitError(_("That case belongs to another customer."))
    message = CustomerMessage(
        channel=Channel.VISIT, subject=reason, body_text=notes, author=by,
        started_at=started_at, ended_at=ended_at,
        handle_seconds=max(int((ended_at - started_at).total_seconds()), 0),
        meta={"outcome": outcome, "service_point": point.slug,
              **({"ticket": ticket.code} if ticket else {})},
    )  # fmt: skip
    contact = Contact(
        customer=customer, message=message, case=case, team=point.team, subject=reason,
        kind=kind, by=by, when=started_at,
    )  # fmt: skip
    interaction = bring_in([contact])[0].interaction
    visit_logged_event(
        interaction.case, by=by, interaction=interaction, outcome=outcome, point=point
    )
    if outcome == VisitOutcome.RESOLVED:
        # "Problem solved" at the counter resolves the case; the customer is told as usual.
        change_status(interaction.case, status=Case.Status.RESOLVED, by=by)
    if ticket is not None:
        ticket.state = QueueTicket.State.SERVED
        ticket.done_at = ended_at
        ticket.interaction = interaction
        ticket.save(update_fields=["state", "done_at", "interaction"])
    return interaction
