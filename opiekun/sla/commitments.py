"""Commitments: promises agents make to customers, reminded, and counted as kept or broken."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import User
from opiekun.cases.models import Case
from opiekun.core.emails import send_email
from opiekun.core.errors import Refused
from opiekun.sla.events import (
    commitment_broken_event,
    commitment_kept_event,
    commitment_made_event,
)
from opiekun.sla.models import Commitment

REMIND_BEFORE = timedelta(minutes=30)


class CommitmentError(Refused):
    pass


def make_commitment(
    case: Case, *, description: str, due_at: datetime, by: User, visible_to_customer: bool = True
) -> Commitment:
    description = description.strip()
    if not description:
        raise CommitmentError(_("Say what was promised."))
    if due_at <= timezone.now():
        raise CommitmentError(_("A promise must be due in the future."))
    commitment = Commitment.objects.create(
        case=case,
        description=description,
        due_at=due_at,
        made_by=by,
        visible_to_customer=visible_to_customer,
    )
    commitment_made_event(case, by=by, description=description, due_at=due_at)
    return commitment


def keep_commitment(
    commitment: Commitment, *, by: User, when: datetime | None = None
) -> Commitment:
    """Mark the promise done; done after its due time it still counts as broken."""
    if not commitment.is_open:
        raise CommitmentError(_("This promise is already settled."))
    when = when or timezone.now()
    if when <= commitment.due_at:
        commitment.kept_at = when
        record = commitment_kept_event
    else:
        commitment.broken_at = when
        record = commitment_broken_event
    commitment.save(update_fields=["kept_at", "broken_at"])
    record(commitment.case, by=by, description=commitment.description)
    return commitment


def check_commitments(*, now: datetime | None = None) -> dict[str, int]:
    """Remind the agent shortly before a promise is due; a promise past due is broken.
    Run by the worker every minute."""
    now = now or timezone.now()
    open_ = Commitment.objects.filter(kept_at__isnull=True, broken_at__isnull=True)
    counts = {"reminded": 0, "broken": 0}
    for commitment in open_.filter(due_at__lte=now).select_related("case"):
        commitment.broken_at = now
        commitment.save(update_fields=["broken_at"])
        commitment_broken_event(commitment.case, description=commitment.description, when=now)
        counts["broken"] += 1
    due_soon = open_.filter(
        reminded_at__isnull=True, due_at__gt=now, due_at__lte=now + REMIND_BEFORE
    ).select_related("case", "made_by")
    for commitment in due_soon:
        remind(commitment)
        commitment.reminded_at = now
        commitment.save(update_fields=["reminded_at"])
        counts["reminded"] += 1
    return counts


def remind(commitment: Commitment) -> None:
    """Email the case's agent (or whoever made the promise) that it falls due soon."""
    agent = commitment.case.assignee or commitment.made_by
    if agent is None or not agent.email:
        return
    send_email(
        "promise_due",
        to=agent.email,
        language=agent.language,
        context={
            "case": commitment.case,
            "commitment": commitment,
            "due": timezone.localtime(commitment.due_at),
            "url": settings.SITE_URL + commitment.case.get_absolute_url(),
        },
    )


@dataclass(frozen=True)
class KeptRate:
    kept: int
    broken: int

    @property
    def rate(self) -> float | None:
        settled = self.kept + self.broken
        return self.kept / settled if settled else None


def kept_rate(commitments: QuerySet[Commitment]) -> KeptRate:
    return KeptRate(
        kept=commitments.filter(kept_at__isnull=False).count(),
        broken=commitments.filter(broken_at__isnull=False).count(),
    )
