"""Moving a merged-away customer's cases and interactions (the "customer_rows" plug-in point
of customers)."""

from opiekun.accounts.models import User
from opiekun.cases.events import record_event
from opiekun.cases.models import Case, Event, Interaction
from opiekun.customers.models import Customer


def move_customer_rows(source: Customer, *, into: Customer, by: User | None) -> None:
    """Move the interactions and cases of `source` to `into`, noting it on each case's timeline."""
    Interaction.objects.filter(customer=source).update(customer=into)
    for case in Case.objects.filter(customer=source).order_by("id"):
        case.customer = into
        case.save(update_fields=["customer"])
        record_event(
            case,
            kind=Event.Kind.CUSTOMER,
            by=by,
            before=str(source),
            after=str(into),
            before_id=source.pk,
            after_id=into.pk,
        )
