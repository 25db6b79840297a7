"""Reading calendars and SLA state."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from opiekun.cases.models import Case
from opiekun.sla import config
from opiekun.sla.business_time import BusinessHours
from opiekun.sla.models import BusinessCalendar, SlaPolicy, SlaTarget


def read_business_hours(calendar: BusinessCalendar) -> BusinessHours:
    """The calendar's hours from the database; `business_hours` keeps them per process."""
    weekly: dict[int, list[tuple[time, time | None]]] = defaultdict(list)
    for period in calendar.periods.all():
        closes = None if period.closes == time(0) else period.closes
        weekly[period.weekday].append((period.opens, closes))
    closed = frozenset(calendar.closed_days.values_list("date", flat=True))
    return BusinessHours(
        calendar.zone, {day: tuple(periods) for day, periods in weekly.items()}, closed
    )


def business_hours(calendar: BusinessCalendar) -> BusinessHours:
    return config.calendar_hours(calendar)


def hours_for_policy(policy: SlaPolicy) -> BusinessHours:
    if policy.calendar is None:
        return BusinessHours.always_open(settings.TIME_ZONE)
    return business_hours(policy.calendar)


def matching_policy(case: Case) -> SlaPolicy | None:
    """The first active policy, by order, whose conditions all hold for the case."""
    organisation_id = case.customer.organisation_id
    for policy in config.active_policies():
        if (
            (not policy.channels or case.channel in policy.channels)
            and (not policy.priorities or case.priority in policy.priorities)
            and (not policy.kinds or case.kind in policy.kinds)
            and (policy.organisation_id is None or policy.organisation_id == organisation_id)
        ):
            return policy
    return None


@dataclass(frozen=True)
class SlaState:
    """What a case list shows: the nearest running target, the time left, and its urgency."""

    target: SlaTarget
    left: timedelta
    urgency: str  # "ok", "warning", "breached" or "paused"


def sla_states(cases: Iterable[Case], *, now: datetime | None = None) -> dict[int, SlaState]:
    """The nearest running target of each case, in one query for the whole page."""
    now = now or timezone.now()
    ids = [case.pk for case in cases]
    targets = SlaTarget.objects.filter(
        case_id__in=ids, met_at__isnull=True, cancelled_at__isnull=True
    ).order_by("due_at")
    states: dict[int, SlaState] = {}
    for target in targets:
        if target.case_id in states:
            continue
        left = target.due_at - now
        if target.paused_at is not None:
            urgency = "paused"
        elif left <= timedelta(0):
            urgency = "breached"
        elif target.warned_at is not None:
            urgency = "warning"
        else:
            urgency = "ok"
        states[target.case_id] = SlaState(target=target, left=left, urgency=urgency)
    return states


def target_history(case: Case) -> list[SlaTarget]:
    """Every target of the case with how it ended, for the case page."""
    return list(SlaTarget.objects.filter(case=case).order_by("started_at", "id"))
