"""Moving a merged-away customer's calls and call-back requests (the "customer_rows" plug-in
point of customers)."""

from opiekun.accounts.models import User
from opiekun.channels.phone.models import CallbackRequest, PhoneCall
from opiekun.customers.models import Customer


def move_customer_rows(source: Customer, *, into: Customer, by: User | None) -> None:
    """Move the phone calls and call-back requests of `source` to `into`."""
    PhoneCall.objects.filter(customer=source).update(customer=into)
    CallbackRequest.objects.filter(customer=source).update(customer=into)
