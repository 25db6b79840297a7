"""Reading calendars into the pure `BusinessHours` value the arithmetic works on."""

from collections import defaultdict
from datetime import time

from opiekun.sla.business_time import BusinessHours
from opiekun.sla.models import BusinessCalendar


def business_hours(calendar: BusinessCalendar) -> BusinessHours:
    weekly: dict[int, list[tuple[time, time | None]]] = defaultdict(list)
    for period in calendar.periods.all():
        weekly[period.weekday].append(
            (period.opens, None if period.closes == time(0) else period.closes)
        )
    closed = frozenset(calendar.closed_days.values_list("date", flat=True))
    return BusinessHours(
        calendar.zone, {day: tuple(periods) for day, periods in weekly.items()}, closed
    )
