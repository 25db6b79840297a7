"""Moving a merged-away customer's sign-in links (the "customer_rows" plug-in point of
customers)."""

from opiekun.accounts.models import User
from opiekun.customers.models import Customer
from opiekun.portal.models import SignInLink


def move_customer_rows(source: Customer, *, into: Customer, by: User | None) -> None:
    """Move the portal sign-in links of `source` to `into`."""
    SignInLink.objects.filter(customer=source).update(customer=into)
