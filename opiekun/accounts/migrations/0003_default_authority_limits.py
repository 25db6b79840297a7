"""Starting authority limits per role; admins change them on the authority limits page."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = {
    # role: (goodwill value, refund amount, deadline extension days)
    "agent": ("100", "200", "0"),
    "lead": ("500", "1000", "14"),
    "manager": ("5000", "10000", "30"),
    "admin": ("5000", "10000", "30"),
}


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuthorityLimit = apps.get_model("accounts", "AuthorityLimit")
    for role, limits in DEFAULTS.items():
        for kind, up_to in zip(("goodwill", "refund", "extension"), limits, strict=True):
            AuthorityLimit.objects.get_or_create(
                role=role, user=None, kind=kind, defaults={"up_to": Decimal(up_to)}
            )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_authority_limits")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
