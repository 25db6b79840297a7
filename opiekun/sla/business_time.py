"""Business-time arithmetic on a weekly timetable with closed days, in one time zone.

Pure functions over a `BusinessHours` value: no database. Periods are wall-clock times in the
calendar's zone; every computation is done on UTC instants, so a DST change shortens or
lengthens the day exactly as a clock on the wall would.
"""

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# How far ahead to look for open hours before deciding a timetable has none.
HORIZON_DAYS = 3 * 366


class NoBusinessHours(ValueError):
    """The timetable has no open hours within the horizon."""


@dataclass(frozen=True)
class BusinessHours:
    """Opening periods per weekday (0 = Monday) as (opens, closes); closes None = midnight."""

    zone: ZoneInfo
    weekly: Mapping[int, tuple[tuple[time, time | None], ...]]
    closed: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def always_open(cls, zone: str = "UTC") -> "BusinessHours":
        day = ((time(0), None),)
        return cls(ZoneInfo(zone), dict.fromkeys(range(7), day))

    def periods_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's open periods as UTC instants, in order."""
        if day in self.closed:
            return []
        periods = []
        for opens, closes in sorted(self.weekly.get(day.weekday(), ()), key=lambda p: p[0]):
            start = datetime.combine(day, opens, tzinfo=self.zone).astimezone(UTC)
            if closes is None:
                end_local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
            else:
                end_local = datetime.combine(day, closes, tzinfo=self.zone)
            end = end_local.astimezone(UTC)
            if end > start:
                periods.append((start, end))
        return periods

    def periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open periods (clipped) from `moment` onwards, for up to HORIZON_DAYS."""
        moment = moment.astimezone(UTC)
        first_day = moment.astimezone(self.zone).date() - timedelta(days=1)
        for offset in range(HORIZON_DAYS):
            for start, end in self.periods_on(first_day + timedelta(days=offset)):
                if end > moment:
                    yield max(start, moment), end

    def is_open(self, moment: datetime) -> bool:
        moment = moment.astimezone(UTC)
        day = moment.astimezone(self.zone).date()
        return any(
            start <= moment < end
            for offset in (-1, 0)
            for start, end in self.periods_on(day + timedelta(days=offset))
        )

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant when `duration` of open time has passed after `start`."""
        if duration <= timedelta(0):
            return start
        remaining = duration
        for period_start, period_end in self.periods_from(start):
            available = period_end - period_start
            if remaining <= available:
                return period_start + remaining
            remaining -= available
        raise NoBusinessHours(f"No open hours within {HORIZON_DAYS} days of {start}")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Open time in [start, end); negative when end is before start."""
        if end < start:
            return -self.between(end, start)
        total = timedelta(0)
        end = end.astimezone(UTC)
        for period_start, period_end in self.periods_from(start):
            if period_start >= end:
                break
            total += min(period_end, end) - period_start
        return total


def add_days_with_rollover(
    received: date, *, days: int, closed: Collection[date], saturday_is_day_off: bool
) -> date:
    """A deadline of `days` calendar days from receipt, as statutes count it.

    The day of receipt is not counted; a deadline that ends on a Sunday, a public holiday in
    `closed`, or (when configured) a Saturday moves to the next working day (Polish Civil Code
    art. 111 § 2 and 115; the same rule is applied to Estonian consumer complaints).
    """
    deadline = received + timedelta(days=days)
    while (
        deadline.weekday() == 6
        or deadline in closed
        or (saturday_is_day_off and deadline.weekday() == 5)
    ):
        deadline += timedelta(days=1)
    return deadline
