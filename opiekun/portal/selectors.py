"""What a signed-in customer may see: their own cases, and only the public part of each."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from opiekun.cases.models import Attachment, Case, Interaction
from opiekun.customers.models import Customer
from opiekun.sla.models import Commitment, SlaTarget


def customer_cases(customer: Customer) -> QuerySet[Case]:
    """The customer's cases in every channel, most recent activity first."""
    return Case.objects.filter(customer=customer, merged_into__isnull=True).order_by(
        "-updated_at", "-id"
    )


def access_customer_case(customer: Customer, number: str) -> Case:
    """The case if it is this customer's; 404 for any other number, so nothing leaks."""
    case = Case.objects.filter(number=number).select_related("team", "customer").first()
    if case is not None and case.merged_into_id is not None:
        case = Case.objects.filter(pk=case.merged_into_id).select_related("team").first()
    if case is None or case.customer_id != customer.pk:
        raise Http404("No such case")
    return case


def public_interactions(case: Case) -> QuerySet[Interaction]:
    """Messages, calls and visits the customer took part in; never internal notes."""
    return (
        case.interactions.exclude(direction=Interaction.Direction.INTERNAL)
        .prefetch_related("attachments")
        .order_by("started_at", "id")
    )


def access_customer_attachment(customer: Customer, number: str, pk: int) -> Attachment:
    case = access_customer_case(customer, number)
    attachment = (
        Attachment.objects.filter(pk=pk, interaction__case=case)
        .exclude(interaction__direction=Interaction.Direction.INTERNAL)
        .first()
    )
    if attachment is None:
        raise Http404("No such file")
    return attachment


def plain_status(case: Case) -> tuple[str, str]:
    """The status in the customer's words, and what it means for them."""
    statuses = {
        Case.Status.NEW: (_("Received"), _("We have your message and will answer soon.")),
        Case.Status.OPEN: (_("In progress"), _("We are working on your case.")),
        Case.Status.PENDING_CUSTOMER: (
            _("Waiting for you"),
            _("We need something from you: please read our last message and reply."),
        ),
        Case.Status.PENDING_INTERNAL: (
            _("Being checked"),
            _("We are checking with a colleague or a partner and will come back to you."),
        ),
        Case.Status.RESOLVED: (
            _("Resolved"),
            _("We believe this is solved. Reply if something is still not right."),
        ),
        Case.Status.CLOSED: (_("Closed"), _("This case is closed.")),
    }
    return statuses[Case.Status(case.status)]


@dataclass(frozen=True)
class NextStep:
    text: str
    due_at: datetime | None


def next_step(case: Case) -> NextStep | None:
    """What happens next and by when: the nearest promise, answer deadline or target."""
    if case.status in {Case.Status.RESOLVED, Case.Status.CLOSED}:
        return None
    if case.status == Case.Status.PENDING_CUSTOMER:
        return NextStep(_("We are waiting for your reply."), None)
    promise = (
        Commitment.objects.filter(
            case=case, visible_to_customer=True, kept_at__isnull=True, broken_at__isnull=True
        )
        .order_by("due_at")
        .first()
    )
    target = (
        SlaTarget.objects.filter(
            case=case, met_at__isnull=True, cancelled_at__isnull=True, paused_at__isnull=True
        )
        .order_by("due_at")
        .first()
    )
    if promise is not None and (target is None or promise.due_at <= target.due_at):
        return NextStep(promise.description, promise.due_at)
    if target is not None:
        if target.kind == SlaTarget.Kind.RESOLUTION:
            return NextStep(_("We aim to resolve your case by then."), target.due_at)
        return NextStep(_("We will answer you by then."), target.due_at)
    return NextStep(_("We will answer you as soon as we can."), None)
