"""Reading customers. Every member of staff may look customers up; which of a customer's cases
they may open is decided by `opiekun.cases.selectors.visible_cases`."""

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse

from opiekun.accounts.decorators import has_role
from opiekun.accounts.models import User
from opiekun.cases.models import Case
from opiekun.cases.selectors import visible_cases
from opiekun.customers.forms import KnownFactForm
from opiekun.customers.models import Customer, Identity, KnownFact, PossibleMatch
from opiekun.customers.services import InvalidIdentity, normalise_email, normalise_phone

PANEL_OTHER_CASES = 5
PAGE_CASES = 50
LIST_ORDER = ("name", "id")
MERGE_ROLES = (User.Role.LEAD, User.Role.MANAGER, User.Role.ADMIN)


def is_active_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_merge(user: User) -> bool:
    """Leads, managers and admins may merge duplicate customers; agents may not."""
    return is_active_staff(user) and has_role(user, *MERGE_ROLES)


def visible_customers(user: User) -> QuerySet[Customer]:
    if not is_active_staff(user):
        return Customer.objects.none()
    return Customer.objects.filter(merged_into__isnull=True)


def access_customer(user: User, pk: int) -> Customer:
    """The customer, for any active member of staff; a merged record resolves to the one it
    was merged into. 404 for anyone else or no such customer."""
    if not is_active_staff(user):
        raise Http404("No such customer")
    customer = Customer.objects.select_related("organisation").filter(pk=pk).first()
    seen = set()
    while customer is not None and customer.merged_into_id is not None:
        if customer.pk in seen:
            raise Http404("No such customer")
        seen.add(customer.pk)
        customer = (
            Customer.objects.select_related("organisation")
            .filter(pk=customer.merged_into_id)
            .first()
        )
    if customer is None:
        raise Http404("No such customer")
    return customer


def access_identity(user: User, customer: Customer, pk: int) -> Identity:
    """An identity of a customer the caller already reached through `access_customer`."""
    identity = Identity.objects.filter(customer=customer, pk=pk).first()
    if identity is None:
        raise Http404("No such identity")
    identity.customer = customer
    return identity


def access_fact(user: User, customer: Customer, pk: int) -> KnownFact:
    """A known fact of a customer the caller already reached through `access_customer`."""
    fact = KnownFact.objects.filter(customer=customer, pk=pk).first()
    if fact is None:
        raise Http404("No such fact")
    fact.customer = customer
    return fact


def identity_values(query: str) -> set[str]:
    """What an identity typed as `query` may be stored as: the email or E.164 number it
    normalises to, and the text itself in lower case."""
    values = {query.strip().lower()}
    for normalise in (normalise_email, normalise_phone):
        with contextlib.suppress(InvalidIdentity):
            values.add(normalise(query))
    return values


def find_customers(user: User, query: str) -> QuerySet[Customer]:
    """Customers the user may see matching a name, an organisation, or any identity."""
    return visible_customers(user).filter(pk__in=matching_customers(query).values("pk"))


def matching_customers(query: str) -> QuerySet[Customer]:
    """Customers matching a name, an organisation, or any identity: an email (any letter
    case, or part of one containing "@") or a phone number in any format."""
    query = query.strip()
    customers = Customer.objects.filter(merged_into__isnull=True)
    if not query:
        return customers.none()
    identities = Q(value__in=identity_values(query))
    if "@" in query:
        identities |= Q(kind=Identity.Kind.EMAIL, value__contains=query.lower())
    matching = Identity.objects.filter(identities).values("customer_id")
    # SQLite's LIKE folds only ASCII letters, so "żak" would miss "Żak": try the spellings
    # people type (PostgreSQL folds them all anyway).
    names = Q()
    for spelling in {query, query.lower(), query.capitalize(), query.title()}:
        names |= Q(name__icontains=spelling) | Q(organisation__name__icontains=spelling)
    return customers.filter(Q(pk__in=matching) | names)


def for_list(customers: QuerySet[Customer]) -> QuerySet[Customer]:
    """Everything a list row shows, in a fixed number of queries whatever the page size."""
    return customers.select_related("organisation").prefetch_related(
        Prefetch("identities", queryset=Identity.objects.order_by("kind", "-is_primary", "id"))
    )


def customer_identities(customer: Customer) -> list[Identity]:
    return list(customer.identities.order_by("kind", "-is_primary", "id"))


def open_possible_matches(customer: Customer) -> list[PossibleMatch]:
    """The undecided possible matches this customer is part of, either side."""
    return list(
        PossibleMatch.objects.filter(
            Q(customer=customer) | Q(candidate=customer), decision=PossibleMatch.Decision.OPEN
        ).select_related("customer", "candidate")
    )


def access_possible_match(user: User, customer: Customer, pk: int) -> PossibleMatch:
    """An undecided possible match of a customer the caller already reached."""
    match = (
        PossibleMatch.objects.filter(Q(customer=customer) | Q(candidate=customer), pk=pk)
        .filter(decision=PossibleMatch.Decision.OPEN)
        .select_related("customer", "candidate")
        .first()
    )
    if match is None:
        raise Http404("No such possible match")
    return match


def customer_facts(customer: Customer) -> list[KnownFact]:
    return list(
        customer.facts.select_related("source_case", "source_interaction", "created_by").order_by(
            "-created_at", "-id"
        )
    )


@dataclass(frozen=True)
class CustomerCases:
    """The customer's cases the user may open (recent first, at most `limit`), how many
    more of them there are, and how many the user may not see."""

    visible: list[Case]
    more: int
    hidden: int


def customer_cases(
    customer: Customer, *, user: User, limit: int = PAGE_CASES, exclude_case: Case | None = None
) -> CustomerCases:
    own = Case.objects.filter(customer=customer, merged_into__isnull=True)
    visible = visible_cases(user).filter(customer=customer)
    if exclude_case is not None:
        own = own.exclude(pk=exclude_case.pk)
        visible = visible.exclude(pk=exclude_case.pk)
    rows = list(visible.select_related("team").order_by("-updated_at", "-id")[: limit + 1])
    visible_count = len(rows) if len(rows) <= limit else visible.count()
    return CustomerCases(
        visible=rows[:limit],
        more=max(visible_count - limit, 0),
        hidden=own.count() - visible_count,
    )


def customer_panel_context(
    customer: Customer, *, user: User, exclude_case: Case | None = None
) -> dict[str, Any]:
    """What the panel beside a case shows: the customer, their identities and known facts,
    and their other cases the user may open (recent first, at most five)."""
    cases = customer_cases(customer, user=user, limit=PANEL_OTHER_CASES, exclude_case=exclude_case)
    return {
        "customer": customer,
        "identities": customer_identities(customer),
        "possible_matches": open_possible_matches(customer),
        "may_merge": may_merge(user),
        "facts": customer_facts(customer),
        "other_cases": cases.visible,
        "other_cases_more": cases.more,
        "other_cases_hidden": cases.hidden,
        "panel_case": exclude_case,
        "fact_form": KnownFactForm(
            initial={
                "case": exclude_case.number if exclude_case else "",
                "next": exclude_case.get_absolute_url()
                if exclude_case
                else reverse("customers:detail", args=[customer.pk]),
            }
        ),
    }


@dataclass(frozen=True)
class UnprovenIdentity:
    """An identity attached to a customer without proof, with the case and channel that most
    likely attached it: the customer's first case opened from then on."""

    identity: Identity
    case: Case | None
    channel: str


def unproven_identities(*, include_given: bool = False) -> Iterator[UnprovenIdentity]:
    """Identities for an administrator to review, oldest first; `include_given` adds those
    typed in a form when their customer was created."""
    proofs = [Identity.Proof.UNPROVEN]
    if include_given:
        proofs.append(Identity.Proof.GIVEN)
    identities = (
        Identity.objects.filter(proof__in=proofs)
        .select_related("customer")
        .order_by("created_at", "id")
    )
    for identity in identities.iterator(chunk_size=500):
        case = (
            Case.objects.filter(
                customer_id=identity.customer_id,
                created_at__gte=identity.created_at - ATTACHED_WITH_CASE,
            )
            .order_by("created_at", "id")
            .first()
        )
        channel = identity.channel or (case.channel if case else "")
        yield UnprovenIdentity(identity=identity, case=case, channel=channel)


# An identity and the case its contact opened are written in one transaction, moments apart.
ATTACHED_WITH_CASE = timedelta(seconds=5)
