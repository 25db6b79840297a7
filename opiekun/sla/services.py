"""Changing calendars: public holidays are copied into data so each can be edited."""

import holidays
from django.db import transaction

from opiekun.sla.models import BusinessCalendar, ClosedDay


@transaction.atomic
def load_public_holidays(calendar: BusinessCalendar, *, years: range) -> int:
    """Add the public holidays of the calendar's country for `years`; returns how many were
    new. Days already present (including closures an admin added) are left as they are."""
    if not calendar.holiday_country:
        return 0
    known = set(calendar.closed_days.values_list("date", flat=True))
    found = holidays.country_holidays(calendar.holiday_country, years=list(years))
    new = [
        ClosedDay(calendar=calendar, date=day, name=name, kind=ClosedDay.Kind.PUBLIC_HOLIDAY)
        for day, name in sorted(found.items())
        if day not in known
    ]
    ClosedDay.objects.bulk_create(new)
    return len(new)
