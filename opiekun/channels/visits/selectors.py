"""Reading the walk-in queue and the counter's recent visitors."""

from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from opiekun.accounts.models import User
from opiekun.cases.models import Channel, Interaction
from opiekun.channels.visits.models import QueueTicket, ServicePoint
from opiekun.customers.models import Customer


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
