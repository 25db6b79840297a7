"""Reading the goodwill ledger: what gestures cost, and what waits for approval."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum

from opiekun.accounts.models import User
from opiekun.cases.selectors import visible_cases
from opiekun.feedback.models import GoodwillGesture


def visible_gestures(user: User) -> QuerySet[GoodwillGesture]:
    return GoodwillGesture.objects.filter(case__in=visible_cases(user)).select_related(
        "case", "requested_by", "approved_by"
    )


def awaiting_approval(user: User) -> QuerySet[GoodwillGesture]:
    return visible_gestures(user).filter(state=GoodwillGesture.State.AWAITING_APPROVAL)


@dataclass(frozen=True)
class LedgerLine:
    kind: str
    currency: str
    count: int
    total: Decimal


def ledger_totals(gestures: QuerySet[GoodwillGesture]) -> list[LedgerLine]:
    """What granted gestures cost, by kind and currency."""
    rows = (
        gestures.filter(state=GoodwillGesture.State.GRANTED)
        .values("kind", "currency")
        .annotate(count=Count("id"), total=Sum("value"))
        .order_by("kind", "currency")
    )
    return [
        LedgerLine(row["kind"], row["currency"], row["count"], row["total"] or Decimal(0))
        for row in rows
    ]
