from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from opiekun.sla.models import BusinessCalendar
from opiekun.sla.services import load_public_holidays


class Command(BaseCommand):
    help = "Copy Polish and Estonian public holidays into every business calendar."

    def add_arguments(self, parser: CommandParser) -> None:
        this_year = timezone.localdate().year
        parser.add_argument("--from-year", type=int, default=this_year - 1)
        parser.add_argument("--to-year", type=int, default=this_year + 5)

    def handle(self, *args: Any, from_year: int, to_year: int, **options: Any) -> None:
        years = range(from_year, to_year + 1)
        for calendar in BusinessCalendar.objects.exclude(holiday_country=""):
            added = load_public_holidays(calendar, years=years)
            self.stdout.write(f"{calendar}: {added} public holidays added ({from_year}-{to_year})")
