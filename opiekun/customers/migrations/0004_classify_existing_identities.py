"""Say how each identity recorded before proofs were kept came to be.

An identity created with its customer (within a minute of it) came with the contact that
created the record: "earlier", which still opens the portal. One attached later was typed
beside another identity or added by hand without proof: "unproven", which opens nothing until
an administrator reviews it (`opiekun unproven_identities`). Every portal session ends anyway,
since none carries the identity version the portal now checks.
"""

from datetime import timedelta

from django.db import migrations
from django.db.models import F

BATCH = 10_000
FOUNDING = timedelta(minutes=1)


def classify(apps, schema_editor):
    Identity = apps.get_model("customers", "Identity")
    last = Identity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, last + 1, BATCH):
        rows = Identity.objects.filter(pk__gte=start, pk__lt=start + BATCH)
        rows.update(proof="earlier", proven_at=F("created_at"))
        rows.filter(created_at__gt=F("customer__created_at") + FOUNDING).update(proof="unproven")


class Migration(migrations.Migration):
    dependencies = [("customers", "0003_identity_proofs_and_possible_matches")]

    operations = [migrations.RunPython(classify, migrations.RunPython.noop)]
