"""`opiekun seed_demo --cases N`: fill the database with realistic demo data."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from opiekun.cases.models import Case
from opiekun.demo.seed import seed_demo, staff_table


class Command(BaseCommand):
    help = (
        "Add demo teams, staff, customers and N cases spread over the last six months. "
        "Progress goes to stderr; the staff logins are printed at the end."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=2000, help="How many cases to add.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds a case (for `make run`).",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args: Any, cases: int, if_empty: bool, seed: int, **options: Any) -> None:
        if cases < 0:
            self.stderr.write("--cases must be zero or more.")
            raise SystemExit(2)
        if if_empty and Case.objects.exists():
            self.stdout.write("The database already holds cases; no demo data added.")
            return
        # The progress bar ends its own lines (a redraw must not end with a newline).
        self.stderr.ending = ""
        result = seed_demo(cases=cases, seed=seed, stderr=self.stderr)
        rate = result.cases / result.seconds if result.seconds else 0.0
        self.stdout.write(
            f"Added {result.cases:,} cases, {result.customers:,} customers, "
            f"{result.interactions:,} interactions and {result.events:,} events "
            f"in {result.seconds:.1f} s ({rate:,.0f} cases/s).\n"
        )
        self.stdout.write("Staff logins:")
        self.stdout.write(staff_table(result.logins))
