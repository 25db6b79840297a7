"""Reading customers. Every member of staff may look customers up; what they may do to a
customer's cases is decided by `opiekun.cases.selectors`."""

from django.db.models import Q, QuerySet
from django.http import Http404

from opiekun.accounts.models import User
from opiekun.customers.models import Customer, Identity
from opiekun.customers.services import InvalidIdentity, normalise_email, normalise_phone


def visible_customers(user: User) -> QuerySet[Customer]:
    if not user.is_authenticated or not user.is_active:
        return Customer.objects.none()
    return Customer.objects.filter(merged_into__isnull=True)


def access_customer(user: User, pk: int) -> Customer:
    customer = visible_customers(user).filter(pk=pk).first()
    if customer is None:
        raise Http404("No such customer")
    return customer


def find_customers(user: User, query: str) -> QuerySet[Customer]:
    """Customers matching a name, or any identity: an email or a phone in any format."""
    query = query.strip()
    customers = visible_customers(user)
    if not query:
        return customers.none()
    identity_values = {query.lower()}
    for normalise in (normalise_email, normalise_phone):
        try:
            identity_values.add(normalise(query))
        except InvalidIdentity:
            pass
    matching = Identity.objects.filter(value__in=identity_values).values("customer_id")
    return customers.filter(Q(pk__in=matching) | Q(name__icontains=query)).distinct()
