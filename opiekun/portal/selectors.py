"""What a signed-in customer may see: their own cases, and only the public part of each."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import Team
from opiekun.cases.models import Attachment, Case, Channel, Interaction
from opiekun.customers.models import Customer
from opiekun.sla.models import Commitment, SlaTarget

# A request sent again within this time (the same subject and text) is the one already open.
RESUBMISSION_WINDOW = timedelta(minutes=30)


def customer_cases(customer: Customer) -> QuerySet[Case]:
    """The customer's cases in every channel, most recent activity first."""
    return Case.objects.filter(customer=customer, merged_into__isnull=True).order_by(
        "-updated_at", "-id"
    )


def team_for_new_request(customer: Customer) -> Team | None:
    """Who takes a new request from the portal: the team of the customer's latest case, which
    knows them; for a customer with none, the first team by name."""
    latest = customer_cases(customer).select_related("team").first()
    return latest.team if latest is not None else Team.objects.order_by("name").first()


def earlier_request(customer: Customer, *, subject: str, body_text: str) -> Case | None:
    """The case the same request opened from the portal moments ago (a double click, a
    reload), if any."""
    return (
        customer_cases(customer)
        .filter(
            channel=Channel.PORTAL,
            created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
            subject=subject[:300],
            interactions__channel=Channel.PORTAL,
            interactions__body_text=body_text,
        )
        .first()
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
    """Messages, calls and visits the customer took part in; never internal notes, and never
    automatic mail that came in (an out-of-office reply, a bounce): the customer did not write
    it."""
    return (
        case.interactions.exclude(direction=Interaction.Direction.INTERNAL)
        .exclude(direction=Interaction.Direction.INBOUND, meta__has_key="auto")
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
