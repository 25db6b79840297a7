"""Granting goodwill within one's authority, and approving what is above it."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.authority import may_grant
from opiekun.accounts.models import AuthorityLimit, User
from opiekun.cases.models import Case
from opiekun.cases.selectors import can_see_case
from opiekun.core.errors import Refused
from opiekun.feedback.events import (
    goodwill_awaiting_event,
    goodwill_granted_event,
    goodwill_rejected_event,
)
from opiekun.feedback.models import GoodwillGesture


class GoodwillError(Refused):
    pass


def limit_kind(gesture_kind: str) -> str:
    return (
        AuthorityLimit.Kind.REFUND
        if gesture_kind == GoodwillGesture.Kind.REFUND
        else AuthorityLimit.Kind.GOODWILL
    )


@transaction.atomic
def grant_gesture(
    case: Case, *, kind: str, value: Decimal, reason: str, by: User, currency: str = "PLN"
) -> GoodwillGesture:
    """Record a gesture. Within the agent's limit it is granted at once; above it, it waits
    for someone with the authority and the case shows it."""
    if value < 0:
        raise GoodwillError(_("The cost cannot be negative."))
    if not reason.strip():
        raise GoodwillError(_("Say why the gesture is given."))
    within = may_grant(by, limit_kind(kind), value)
    gesture = GoodwillGesture.objects.create(
        case=case,
        kind=kind,
        value=value,
        currency=currency,
        reason=reason.strip(),
        requested_by=by,
        state=GoodwillGesture.State.GRANTED if within else GoodwillGesture.State.AWAITING_APPROVAL,
        approved_by=by if within else None,
        decided_at=timezone.now() if within else None,
    )
    record = goodwill_granted_event if within else goodwill_awaiting_event
    record(case, by=by, gesture=kind, value=value, currency=currency)
    return gesture


@transaction.atomic
def decide_gesture(
    gesture: GoodwillGesture, *, approve: bool, by: User, note: str = ""
) -> GoodwillGesture:
    """Approve or refuse a gesture waiting for approval. Only someone who may see the case and
    whose own limit covers the value may approve; nobody approves their own request."""
    gesture = GoodwillGesture.objects.select_for_update().get(pk=gesture.pk)
    if gesture.state != GoodwillGesture.State.AWAITING_APPROVAL:
        raise GoodwillError(_("This gesture is not waiting for approval."))
    if not can_see_case(by, gesture.case):
        raise GoodwillError(_("You cannot decide on this case."))
    if gesture.requested_by_id == by.pk:
        raise GoodwillError(_("Someone else must approve your own request."))
    if approve and not may_grant(by, limit_kind(gesture.kind), gesture.value):
        raise GoodwillError(_("This is above your authority limit."))
    gesture.state = GoodwillGesture.State.GRANTED if approve else GoodwillGesture.State.REJECTED
    gesture.approved_by = by if approve else None
    gesture.decided_at = timezone.now()
    gesture.decision_note = note
    gesture.save()
    record = goodwill_granted_event if approve else goodwill_rejected_event
    record(
        gesture.case, by=by, gesture=gesture.kind, value=gesture.value, currency=gesture.currency
    )
    return gesture
