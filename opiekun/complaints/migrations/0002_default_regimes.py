"""Default complaint regimes with the calendars whose public holidays move their deadlines.

Holidays are copied into rows (2024-2040) so an admin can see and edit them; a newer
`holidays` package adds later ones through `opiekun load_holidays`.
"""

from datetime import time

import holidays
from django.db import migrations

CALENDARS = [
    ("Polska (PL)", "Europe/Warsaw", "PL"),
    ("Eesti (EE)", "Europe/Tallinn", "EE"),
]
REGIMES = [
    # code, name, days, calendar, silence, acknowledge, extension, basis
    (
        "pl-consumer",
        "Polska: konsument",
        14,
        "Polska (PL)",
        "accepted",
        False,
        False,
        "Ustawa o prawach konsumenta, art. 7a",
    ),
    (
        "pl-financial",
        "Polska: rynek finansowy",
        30,
        "Polska (PL)",
        "accepted",
        False,
        True,
        "Ustawa o rozpatrywaniu reklamacji przez podmioty rynku finansowego",
    ),
    (
        "ee-consumer",
        "Eesti: tarbija",
        15,
        "Eesti (EE)",
        "refused",
        True,
        True,
        "Tarbijakaitseseadus",
    ),
]


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    OpeningPeriod = apps.get_model("sla", "OpeningPeriod")
    ClosedDay = apps.get_model("sla", "ClosedDay")
    ComplaintRegime = apps.get_model("complaints", "ComplaintRegime")
    calendars = {}
    for name, zone, country in CALENDARS:
        calendar, created = BusinessCalendar.objects.get_or_create(
            name=name, defaults={"time_zone": zone, "holiday_country": country}
        )
        calendars[name] = calendar
        if created:
            OpeningPeriod.objects.bulk_create(
                OpeningPeriod(calendar=calendar, weekday=day, opens=time(8), closes=time(16))
                for day in range(5)
            )
        known = set(ClosedDay.objects.filter(calendar=calendar).values_list("date", flat=True))
        found = holidays.country_holidays(country, years=range(2024, 2041))
        ClosedDay.objects.bulk_create(
            ClosedDay(calendar=calendar, date=day, name=label, kind="public_holiday")
            for day, label in sorted(found.items())
            if day not in known
        )
    for code, name, days, calendar, silence, acknowledge, extension, basis in REGIMES:
        ComplaintRegime.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "answer_days": days,
                "calendar": calendars[calendar],
                "saturday_is_day_off": True,
                "silence_means": silence,
                "acknowledge_receipt": acknowledge,
                "extension_allowed": extension,
                "legal_basis": basis,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_complaints_and_regimes"),
        ("sla", "0002_sla_policies_and_targets"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
