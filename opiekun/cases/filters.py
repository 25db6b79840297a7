"""Narrowing a list of cases by what staff filter on: the desk's filter bar and the API's query
parameters both build a `CaseFilters` and call `filter_cases`, so the two never disagree."""

import re
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import Literal

from django.db.models import QuerySet
from django.utils import timezone

from opiekun.cases.models import Case
from opiekun.customers.selectors import matching_customers

CASE_NUMBER = re.compile(r"[0-9]{4}-[0-9]{1,10}")

UNASSIGNED = "none"


@dataclass(frozen=True)
class CaseFilters:
    """What to keep; a field left as None does not narrow the list.

    `assignee` is a user id, or "none" for cases nobody holds. `tag` is a tag name.
    `created_from` and `created_to` are calendar days in the site time zone, both inclusive.
    `q` finds a case by its number, or by its customer's name, email address or phone.
    """

    status: str | None = None
    priority: str | None = None
    kind: str | None = None
    channel: str | None = None
    team: int | None = None
    assignee: int | Literal["none"] | None = None
    tag: str | None = None
    language: str | None = None
    customer: int | None = None
    created_from: date | None = None
    created_to: date | None = None
    q: str | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, field.name) is None for field in fields(self))

    def as_params(self) -> dict[str, str]:
        """The filters as query parameters (for links that keep them), unset ones left out."""
        params = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value is not None:
                params[field.name] = value.isoformat() if isinstance(value, date) else str(value)
        return params


def filter_cases(cases: QuerySet[Case], filters: CaseFilters) -> QuerySet[Case]:
    """Narrow `cases` (already limited to what the user may see) by `filters`."""
    exact = {
        "status": filters.status,
        "priority": filters.priority,
        "kind": filters.kind,
        "channel": filters.channel,
        "team_id": filters.team,
        "language": filters.language,
        "customer_id": filters.customer,
    }
    cases = cases.filter(**{name: value for name, value in exact.items() if value is not None})
    if filters.assignee == UNASSIGNED:
        cases = cases.filter(assignee__isnull=True)
    elif isinstance(filters.assignee, int):
        cases = cases.filter(assignee_id=filters.assignee)
    if filters.tag is not None:
        # Tag names are unique and stored lower-case (set_tags), so this joins one row per case.
        cases = cases.filter(tags__name=filters.tag.strip().lower())
    if filters.q:
        cases = _search(cases, filters.q.strip())
    if filters.created_from is not None:
        cases = cases.filter(created_at__gte=_start_of_day(filters.created_from))
    if filters.created_to is not None:
        cases = cases.filter(created_at__lt=_start_of_day(filters.created_to + timedelta(days=1)))
    return cases


def _search(cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """Both lookups use an index: the case number, and the customers matching the query (by
    identity or name) through the customer index."""
    number = query.lstrip("#[").rstrip("]")
    if CASE_NUMBER.fullmatch(number):
        return cases.filter(number=number)
    return cases.filter(customer__in=matching_customers(query).values("pk"))


def _start_of_day(day: date) -> datetime:
    """Midnight at the start of `day` in the site time zone (not the user's active one)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())
