from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from opiekun.sla.models import BusinessCalendar, ClosedDay, OpeningPeriod
from opiekun.sla.selectors import business_hours
from opiekun.sla.services import load_public_holidays

pytestmark = pytest.mark.django_db


def make_calendar(country: str = "PL", zone: str = "Europe/Warsaw") -> BusinessCalendar:
    calendar = BusinessCalendar.objects.create(
        name=f"Office {country}", time_zone=zone, holiday_country=country
    )
    for weekday in range(5):
        OpeningPeriod.objects.create(
            calendar=calendar, weekday=weekday, opens=time(8), closes=time(12)
        )
        OpeningPeriod.objects.create(
            calendar=calendar, weekday=weekday, opens=time(13), closes=time(17)
        )
    return calendar


def test_public_holidays_are_copied_once_and_custom_closures_kept() -> None:
    calendar = make_calendar()
    ClosedDay.objects.create(calendar=calendar, date=date(2026, 12, 24), name="Inwentaryzacja")

    first = load_public_holidays(calendar, years=range(2026, 2027))
    again = load_public_holidays(calendar, years=range(2026, 2027))

    assert (first, again) == (13, 0)
    christmas_eve = ClosedDay.objects.get(calendar=calendar, date=date(2026, 12, 24))
    assert (christmas_eve.name, christmas_eve.kind) == ("Inwentaryzacja", ClosedDay.Kind.CLOSURE)
    assert (
        ClosedDay.objects.get(calendar=calendar, date=date(2026, 11, 11)).kind == "public_holiday"
    )


def test_calendar_rows_drive_the_arithmetic() -> None:
    calendar = make_calendar("EE", "Europe/Tallinn")
    load_public_holidays(calendar, years=range(2026, 2027))
    tallinn = ZoneInfo("Europe/Tallinn")

    hours = business_hours(calendar)

    # Tuesday 2026-02-24 is Independence Day in Estonia.
    due = hours.add(datetime(2026, 2, 23, 16, tzinfo=tallinn), timedelta(hours=2))
    assert due == datetime(2026, 2, 25, 9, tzinfo=tallinn)


def test_a_closure_added_by_an_admin_needs_no_code_change() -> None:
    calendar = make_calendar()
    ClosedDay.objects.create(calendar=calendar, date=date(2026, 11, 24), name="Przeprowadzka")
    warsaw = ZoneInfo("Europe/Warsaw")

    due = business_hours(calendar).add(
        datetime(2026, 11, 23, 16, tzinfo=warsaw), timedelta(hours=2)
    )

    assert due == datetime(2026, 11, 25, 9, tzinfo=warsaw)


def test_load_holidays_command_reports_each_calendar(capsys: pytest.CaptureFixture[str]) -> None:
    make_calendar()

    call_command("load_holidays", "--from-year", "2026", "--to-year", "2026")

    # The default calendars (complaints' data migration) already hold 2024-2040.
    assert capsys.readouterr().out.splitlines() == [
        "Eesti (EE): 0 public holidays added (2026-2026)",
        "Office PL: 14 public holidays added (2026-2026)",
        "Polska (PL): 0 public holidays added (2026-2026)",
    ]
