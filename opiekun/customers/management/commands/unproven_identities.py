"""`opiekun unproven_identities [--given] [--json]`: the identities attached to customers
without proof, for an administrator to review on each customer's page."""

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from opiekun.customers.selectors import unproven_identities

COLUMNS = (
    "identity", "kind", "value", "proof", "customer", "customer_name", "added", "case", "channel",
)  # fmt: skip


class Command(BaseCommand):
    help = (
        "List email addresses and phone numbers attached to customers without proof, with the "
        "case and channel that attached them. Review each on the customer's page: confirm it, "
        "move it to a record of its own, or remove it."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--given",
            action="store_true",
            help="Also list identities only given in a form when their customer was created.",
        )
        parser.add_argument("--json", action="store_true", help="One JSON object a line.")

    def handle(self, *args: Any, given: bool, json: bool, **options: Any) -> None:
        count = 0
        if not json:
            self.stdout.write("\t".join(COLUMNS))
        for row in unproven_identities(include_given=given):
            count += 1
            identity = row.identity
            record = {
                "identity": identity.pk,
                "kind": identity.kind,
                "value": identity.value,
                "proof": identity.proof,
                "customer": identity.customer_id,
                "customer_name": str(identity.customer),
                "added": identity.created_at.isoformat(),
                "case": row.case.number if row.case else None,
                "channel": row.channel,
            }
            if json:
                self.stdout.write(_dumps(record))
            else:
                self.stdout.write(
                    "\t".join(str(value) if value is not None else "-" for value in record.values())
                )
        self.stderr.write(
            ngettext(
                "%(count)s identity to review; see docs/privacy.md.",
                "%(count)s identities to review; see docs/privacy.md.",
                count,
            )
            % {"count": count}
        )


def _dumps(record: dict[str, object]) -> str:
    return json.dumps(record, ensure_ascii=False)
