from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from opiekun.sla.business_time import BusinessHours, NoBusinessHours, add_days_with_rollover

WARSAW = ZoneInfo("Europe/Warsaw")
TALLINN = ZoneInfo("Europe/Tallinn")
WEEKDAYS_8_16 = {day: ((time(8), time(16)),) for day in range(5)}
LUNCH_BREAK = {day: ((time(8), time(12)), (time(13), time(17))) for day in range(5)}


def warsaw(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


def test_time_within_one_day_is_plain_addition() -> None:
    hours = BusinessHours(WARSAW, WEEKDAYS_8_16)

    assert hours.add(warsaw(2026, 11, 23, 9), timedelta(hours=3)) == warsaw(2026, 11, 23, 12)


def test_friday_afternoon_rolls_over_the_weekend() -> None:
    hours = BusinessHours(WARSAW, WEEKDAYS_8_16)

    due = hours.add(warsaw(2026, 11, 27, 14), timedelta(hours=24))

    # 2 h on Friday, 8 h Monday, 8 h Tuesday, 6 h on Wednesday.
    assert due == warsaw(2026, 12, 2, 14)


def test_a_message_before_opening_starts_counting_at_opening() -> None:
    hours = BusinessHours(WARSAW, WEEKDAYS_8_16)

    assert hours.add(warsaw(2026, 11, 24, 6, 30), timedelta(hours=1)) == warsaw(2026, 11, 24, 9)


def test_lunch_break_is_not_counted() -> None:
    hours = BusinessHours(WARSAW, LUNCH_BREAK)

    assert hours.add(warsaw(2026, 11, 23, 11), timedelta(hours=2)) == warsaw(2026, 11, 23, 14)
    assert hours.between(warsaw(2026, 11, 23, 11), warsaw(2026, 11, 23, 14)) == timedelta(hours=2)


def test_public_holidays_are_skipped() -> None:
    closed = frozenset(holidays.country_holidays("PL", years=2026))
    hours = BusinessHours(WARSAW, WEEKDAYS_8_16, closed)

    # 2026-11-11 (Wednesday) is Independence Day.
    assert hours.add(warsaw(2026, 11, 10, 15), timedelta(hours=2)) == warsaw(2026, 11, 12, 9)


def test_split_shift_after_midnight_and_closing_at_midnight() -> None:
    hours = BusinessHours(TALLINN, {0: ((time(20), None),), 1: ((time(0), time(2)),)})

    due = hours.add(datetime(2026, 11, 23, 23, tzinfo=TALLINN), timedelta(hours=2))

    assert due == datetime(2026, 11, 24, 1, tzinfo=TALLINN)


def test_spring_forward_day_has_one_hour_less() -> None:
    # On 2026-03-29 Warsaw clocks jump from 02:00 to 03:00.
    hours = BusinessHours.always_open("Europe/Warsaw")
    start = warsaw(2026, 3, 29, 0)

    assert hours.between(start, warsaw(2026, 3, 30, 0)) == timedelta(hours=23)
    assert hours.add(start, timedelta(hours=3)) == warsaw(2026, 3, 29, 4)


def test_fall_back_day_has_one_hour_more() -> None:
    hours = BusinessHours.always_open("Europe/Tallinn")

    start = datetime(2026, 10, 25, 0, tzinfo=TALLINN)
    end = datetime(2026, 10, 26, 0, tzinfo=TALLINN)
    assert hours.between(start, end) == timedelta(hours=25)


def test_office_hours_across_dst_change_keep_wall_clock_times() -> None:
    hours = BusinessHours(WARSAW, WEEKDAYS_8_16)

    # Friday 2026-03-27 15:00 + 2 h → Monday 2026-03-30 09:00 local, after the change.
    due = hours.add(warsaw(2026, 3, 27, 15), timedelta(hours=2))

    assert due == warsaw(2026, 3, 30, 9)
    assert due.astimezone(UTC) == datetime(2026, 3, 30, 7, tzinfo=UTC)


def test_is_open() -> None:
    hours = BusinessHours(WARSAW, LUNCH_BREAK)

    assert hours.is_open(warsaw(2026, 11, 23, 8)) is True
    assert hours.is_open(warsaw(2026, 11, 23, 12, 30)) is False
    assert hours.is_open(warsaw(2026, 11, 28, 10)) is False


def test_a_timetable_without_open_hours_is_refused() -> None:
    with pytest.raises(NoBusinessHours):
        BusinessHours(WARSAW, {}).add(warsaw(2026, 11, 23, 9), timedelta(minutes=1))


def test_between_is_antisymmetric() -> None:
    hours = BusinessHours(WARSAW, WEEKDAYS_8_16)
    a, b = warsaw(2026, 11, 23, 9), warsaw(2026, 11, 24, 9)

    assert hours.between(b, a) == -hours.between(a, b) == -timedelta(hours=8)


@given(
    # Hypothesis takes naive bounds and attaches the zone itself.
    start=st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001
        max_value=datetime(2027, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    minutes=st.integers(min_value=1, max_value=60 * 24 * 30),
    lunch=st.booleans(),
)
def test_adding_then_measuring_gives_back_the_duration(
    start: datetime, minutes: int, lunch: bool
) -> None:
    closed = frozenset(holidays.country_holidays("PL", years=range(2025, 2029)))
    hours = BusinessHours(WARSAW, LUNCH_BREAK if lunch else WEEKDAYS_8_16, closed)
    duration = timedelta(minutes=minutes)

    due = hours.add(start, duration)

    assert hours.between(start, due) == duration
    assert hours.is_open(due - timedelta(microseconds=1))


POLISH_HOLIDAYS = frozenset(holidays.country_holidays("PL", years=range(2024, 2028)))


@pytest.mark.parametrize(
    ("received", "saturday_is_day_off", "expected"),
    [
        (date(2025, 3, 3), False, date(2025, 3, 17)),
        (date(2025, 3, 3), True, date(2025, 3, 17)),
        # 12-25 and 12-26 are holidays, 12-27 a Saturday, 12-28 a Sunday.
        (date(2025, 12, 11), True, date(2025, 12, 29)),
        (date(2025, 12, 11), False, date(2025, 12, 27)),
        # Ends on Sunday 2026-11-22 → Monday.
        (date(2026, 11, 8), False, date(2026, 11, 23)),
        # Ends on Independence Day (Wednesday 2026-11-11) → Thursday.
        (date(2026, 10, 28), False, date(2026, 11, 12)),
        # Received on New Year's Eve; counting starts the next day regardless of the holiday.
        (date(2025, 12, 31), False, date(2026, 1, 14)),
    ],
)
def test_polish_consumer_complaint_deadlines(
    received: date, saturday_is_day_off: bool, expected: date
) -> None:
    deadline = add_days_with_rollover(
        received, days=14, closed=POLISH_HOLIDAYS, saturday_is_day_off=saturday_is_day_off
    )

    assert deadline == expected


def test_estonian_fifteen_day_deadline_moves_past_midsummer() -> None:
    closed = frozenset(holidays.country_holidays("EE", years=2026))

    # 2026-06-08 + 15 = 06-23 (Võidupüha), 06-24 (jaanipäev) → 06-25.
    deadline = add_days_with_rollover(
        date(2026, 6, 8), days=15, closed=closed, saturday_is_day_off=True
    )

    assert deadline == date(2026, 6, 25)
