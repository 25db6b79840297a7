"""Reading phone work: the call-back queue, calls ringing for an agent, call-back times."""

from datetime import timedelta

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.channels.phone.models import CallbackRequest, PhoneCall

SCREEN_POP_SECONDS = 120


def visible_teams(user: User) -> QuerySet[Team]:
    return Team.objects.all() if user.sees_all_teams else user.teams.all()


def callback_queue(user: User) -> QuerySet[CallbackRequest]:
    """Open call-back requests of the user's teams, the most urgent first."""
    return (
        CallbackRequest.objects.filter(team__in=visible_teams(user), done_at__isnull=True)
        .select_related("customer", "case")
        .order_by("due_at", "id")
    )


def access_callback(user: User, pk: int) -> CallbackRequest:
    callback = (
        CallbackRequest.objects.filter(pk=pk, team__in=visible_teams(user))
        .select_related("customer", "case", "team")
        .first()
    )
    if callback is None:
        raise Http404("No such call-back")
    return callback


def ringing_for(user: User) -> PhoneCall | None:
    """A call ringing or in progress for this agent, for the screen pop."""
    since = timezone.now() - timedelta(seconds=SCREEN_POP_SECONDS)
    return (
        PhoneCall.objects.filter(agent=user, rang_at__gte=since)
        .exclude(state=PhoneCall.State.ENDED)
        .select_related("customer")
        .order_by("-rang_at")
        .first()
    )


def callback_delays(callbacks: QuerySet[CallbackRequest]) -> list[timedelta]:
    """Time from request to call-back for every completed request."""
    pairs = callbacks.filter(done_at__isnull=False).values_list("requested_at", "done_at")
    return [done - requested for requested, done in pairs if done is not None]
