"""The practice's default: written channels answered within 24 business hours, on the Polish
office calendar (Monday to Friday 8:00-16:00 with public holidays), resolution in 5 days."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    BusinessCalendar = apps.get_model("sla", "BusinessCalendar")
    SlaPolicy = apps.get_model("sla", "SlaPolicy")
    calendar = BusinessCalendar.objects.filter(name="Polska (PL)").first()
    SlaPolicy.objects.get_or_create(
        name="Written channels: 24 business hours",
        defaults={
            "order": 10,
            "channels": ["email", "web", "portal"],
            "calendar": calendar,
            "first_response_minutes": 24 * 60,
            "next_response_minutes": 24 * 60,
            "resolution_minutes": 5 * 8 * 60,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0003_commitments"),
        # The Polish calendar is created with the complaint regimes.
        ("complaints", "0002_default_regimes"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
