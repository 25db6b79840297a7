"""Reading the walk-in queue, the counter's search and its recent visitors."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from opiekun.accounts.models import User
from opiekun.cases.models import Channel, Interaction
from opiekun.channels.visits.models import QueueTicket, ServicePoint
from opiekun.customers.models import Customer, Identity, KnownFact
from opiekun.customers.selectors import find_customers


def access_point(user: User, slug: str) -> ServicePoint:
    points = ServicePoint.objects.filter(slug=slug, is_active=True).select_related("team")
    if not user.sees_all_teams:
        points = points.filter(team__in=user.teams.all())
    point = points.first()
    if point is None:
        raise Http404("No such service point")
    return point


def points_for(user: User) -> QuerySet[ServicePoint]:
    points = ServicePoint.objects.filter(is_active=True)
    return points if user.sees_all_teams else points.filter(team__in=user.teams.all())


def waiting(point: ServicePoint) -> QuerySet[QueueTicket]:
    return QueueTicket.objects.filter(
        point=point, day=timezone.localdate(), state=QueueTicket.State.WAITING
    ).order_by("number")


def recently_called(point: ServicePoint, *, limit: int = 5) -> list[QueueTicket]:
    return list(
        QueueTicket.objects.filter(point=point, day=timezone.localdate(), called_at__isnull=False)
        .select_related("point")
        .order_by("-called_at")[:limit]
    )


def called_by(point: ServicePoint, user: User) -> QueueTicket | None:
    """The ticket this agent called last today and has not served yet (an earlier one that
    never came to the desk stays behind)."""
    return (
        QueueTicket.objects.filter(
            point=point, called_by=user, state=QueueTicket.State.CALLED, day=timezone.localdate()
        )
        .select_related("point")
        .order_by("-called_at", "-id")
        .first()
    )


def waiting_times(tickets: QuerySet[QueueTicket]) -> list[timedelta]:
    """From taking a number to being called, for every called ticket."""
    pairs = tickets.filter(called_at__isnull=False).values_list("created_at", "called_at")
    return [called - taken for taken, called in pairs if called is not None]


def recent_visitors(point: ServicePoint, *, limit: int = 8) -> list[Customer]:
    """Customers seen at this point lately, so a returning one is one tap away."""
    seen: dict[int, Customer] = {}
    visits = (
        Interaction.objects.filter(channel=Channel.VISIT, meta__service_point=point.slug)
        .select_related("customer")
        .order_by("-started_at")[:100]
    )
    for visit in visits:
        if visit.customer is not None and visit.customer.pk not in seen:
            seen[visit.customer.pk] = visit.customer
        if len(seen) >= limit:
            break
    return list(seen.values())


@dataclass(frozen=True)
class Found:
    """A customer as the counter search shows them: just enough to tell namesakes apart."""

    customer: Customer
    phone: str
    email: str
    city: str


def counter_search(user: User, query: str, *, limit: int = 10) -> list[Found]:
    """Customers the user may see matching a name, phone or email, each with one phone, one
    email and the city of their latest address (never the street: the counter is in public
    view, and the city is enough to tell two people apart)."""
    if not query:
        return []
    customers = find_customers(user, query).prefetch_related(
        Prefetch(
            "identities",
            queryset=Identity.objects.order_by("kind", "-is_primary", "id"),
            to_attr="ordered_identities",
        ),
        Prefetch(
            "facts",
            queryset=KnownFact.objects.filter(kind=KnownFact.Kind.ADDRESS).order_by(
                "-created_at", "-id"
            ),
            to_attr="addresses",
        ),
    )
    found = []
    for customer in customers[:limit]:
        identities = customer.ordered_identities
        addresses = customer.addresses
        found.append(
            Found(
                customer=customer,
                phone=next((i.value for i in identities if i.kind == Identity.Kind.PHONE), ""),
                email=next((i.value for i in identities if i.kind == Identity.Kind.EMAIL), ""),
                city=city_of(addresses[0].value) if addresses else "",
            )
        )
    return found


# A word with a digit in it is a house number or a postal code (12/4, 00-238, NW1, 6XE).
_HAS_DIGIT = re.compile(r"\d")
# A country after the town says nothing at a counter in that country.
_COUNTRIES = {"polska", "poland", "eesti", "estonia", "uk", "united kingdom"}


def city_of(address: str) -> str:
    """The town of an address as people write it ("ul. Długa 12/4, 00-238 Warszawa",
    "Pärnu mnt 22-5, 10141 Tallinn", "14 Baker Street, London NW1 6XE"): the words beside
    the postal code in the last part that has any. The street is never returned, so an
    address without a recognisable town gives ""."""
    parts = [part.split() for part in address.split(",") if part.strip().lower() not in _COUNTRIES]
    # The first part is the street unless it is all there is.
    for words in reversed(parts[1:] or parts):
        numbered = [index for index, word in enumerate(words) if _HAS_DIGIT.search(word)]
        if not numbered:
            town = words
        else:
            town = words[numbered[-1] + 1 :]
            if not town and len(parts) > 1:
                town = words[: numbered[0]]
        if town:
            return " ".join(town)
    return ""
