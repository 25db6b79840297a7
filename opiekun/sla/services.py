"""SLA clocks: started, met, paused and escalated by the case services as a case moves.

The case services call these functions (no signals): `start_case_clocks` when a case opens,
`note_customer_message` and `note_agent_response` for each interaction, `note_status_change`
for each status change; the worker runs `check_targets` every minute.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from opiekun.accounts.models import User
from opiekun.cases.models import Case
from opiekun.core.emails import send_email
from opiekun.core.plugins import plugged
from opiekun.sla import config
from opiekun.sla.business_time import BusinessHours
from opiekun.sla.events import sla_breached_event, sla_warning_event
from opiekun.sla.models import BusinessCalendar, ClosedDay, SlaPolicy, SlaTarget
from opiekun.sla.selectors import hours_for_policy, matching_policy

RESPONSE_KINDS = (SlaTarget.Kind.FIRST_RESPONSE, SlaTarget.Kind.NEXT_RESPONSE)


@transaction.atomic
def load_public_holidays(calendar: BusinessCalendar, *, years: range) -> int:
    """Add the public holidays of the calendar's country for `years`; returns how many were
    new. Days already present (including closures an admin added) are left as they are."""
    if not calendar.holiday_country:
        return 0
    known = set(calendar.closed_days.values_list("date", flat=True))
    found = holidays.country_holidays(calendar.holiday_country, years=list(years))
    new = [
        ClosedDay(calendar=calendar, date=day, name=name, kind=ClosedDay.Kind.PUBLIC_HOLIDAY)
        for day, name in sorted(found.items())
        if day not in known
    ]
    ClosedDay.objects.bulk_create(new)
    if new:
        config.changed()  # bulk_create sends no signals
    return len(new)


def _running(case: Case) -> QuerySet[SlaTarget]:
    return SlaTarget.objects.filter(case=case, met_at__isnull=True, cancelled_at__isnull=True)


def _target(
    case: Case,
    policy: SlaPolicy,
    kind: str,
    minutes: int | None,
    at: datetime,
    *,
    hours: BusinessHours,
) -> list[SlaTarget]:
    """The target to start (unsaved), or none when the policy sets no such target."""
    if minutes is None:
        return []
    budget = timedelta(minutes=minutes)
    paused = at if case.status == Case.Status.PENDING_CUSTOMER else None
    return [
        SlaTarget(
            case=case, policy=policy, kind=kind, started_at=at, due_at=hours.add(at, budget),
            budget=budget, paused_at=paused,
        )
    ]  # fmt: skip


def start_clocks(opened: Sequence[tuple[Case, datetime]]) -> None:
    """Start first-response and resolution targets, from the policy matching each new case,
    at the time it opened; one statement for all of them."""
    targets: list[SlaTarget] = []
    for case, at in opened:
        policy = matching_policy(case)
        if policy is None:
            continue
        hours = hours_for_policy(policy)
        targets += _target(
            case, policy, SlaTarget.Kind.FIRST_RESPONSE, policy.first_response_minutes, at,
            hours=hours,
        ) + _target(
            case, policy, SlaTarget.Kind.RESOLUTION, policy.resolution_minutes, at, hours=hours
        )  # fmt: skip
    SlaTarget.objects.bulk_create(targets)


def start_case_clocks(case: Case, *, at: datetime | None = None) -> None:
    """`start_clocks` for one case."""
    start_clocks([(case, at or case.created_at)])


def note_customer_message(case: Case, *, at: datetime) -> None:
    """A customer wrote again: answer them within the next-response target, unless an earlier
    response target is still running."""
    if at == case.created_at:
        return  # The message that opened the case: its clocks started with it.
    running = set(_running(case).values_list("kind", flat=True))
    if running & set(RESPONSE_KINDS):
        return
    policy = matching_policy(case)
    if policy is None:
        return
    hours = hours_for_policy(policy)
    targets = _target(
        case, policy, SlaTarget.Kind.NEXT_RESPONSE, policy.next_response_minutes, at, hours=hours
    )
    if SlaTarget.Kind.RESOLUTION not in running:
        targets += _target(
            case, policy, SlaTarget.Kind.RESOLUTION, policy.resolution_minutes, at, hours=hours
        )
    SlaTarget.objects.bulk_create(targets)


def note_agent_response(case: Case, *, at: datetime) -> None:
    """An answer went to the customer: running response targets are met."""
    _running(case).filter(kind__in=RESPONSE_KINDS).update(met_at=at)


def note_status_change(case: Case, *, before: str, after: str, at: datetime) -> None:
    """Pause clocks while the case waits on the customer; resolving meets the resolution
    target and ends the response targets."""
    running = _running(case)
    if after in {Case.Status.RESOLVED, Case.Status.CLOSED}:
        running.filter(kind=SlaTarget.Kind.RESOLUTION).update(met_at=at, paused_at=None)
        running.filter(kind__in=RESPONSE_KINDS).update(cancelled_at=at)
        return
    if after == Case.Status.PENDING_CUSTOMER:
        running.filter(paused_at__isnull=True).update(paused_at=at)
        return
    if before == Case.Status.PENDING_CUSTOMER:
        for target in running.filter(paused_at__isnull=False).select_related("policy__calendar"):
            resume(target, at=at)


def resume(target: SlaTarget, *, at: datetime) -> SlaTarget:
    """Restart a paused target with the open time it had left when it was paused."""
    if target.paused_at is None:
        return target
    hours = hours_for_policy(target.policy) if target.policy else BusinessHours.always_open()
    left = max(hours.between(target.paused_at, target.due_at), timedelta(0))
    if target.breached_at is None:
        target.due_at = hours.add(at, left)
    target.paused_at = None
    target.save(update_fields=["due_at", "paused_at"])
    return target


def check_targets(*, now: datetime | None = None) -> dict[str, int]:
    """Warn before and escalate at a breach, once each per target. Run by the worker."""
    now = now or timezone.now()
    running = SlaTarget.objects.filter(
        met_at__isnull=True, cancelled_at__isnull=True, paused_at__isnull=True
    ).select_related("case__team", "policy__calendar", "policy__escalate_reassign_to")
    counts = {"warned": 0, "breached": 0}
    for target in running.filter(breached_at__isnull=True, due_at__lte=now):
        with transaction.atomic():
            escalate(target, now=now)
        counts["breached"] += 1
    for target in running.filter(warned_at__isnull=True, breached_at__isnull=True, due_at__gt=now):
        if target.policy is None:
            continue
        hours = hours_for_policy(target.policy)
        left = hours.between(now, target.due_at)
        if left <= target.budget * (100 - target.policy.warn_at_percent) / 100:
            target.warned_at = now
            target.save(update_fields=["warned_at"])
            sla_warning_event(target.case, target=target.kind, due_at=target.due_at, when=now)
            counts["warned"] += 1
    return counts


def escalate(target: SlaTarget, *, now: datetime) -> None:
    """Note the breach on the timeline, let the apps plugged into "sla_target_breached" act
    on the case (cases raises its priority and reassigns it as the policy says), and tell the
    team's leads if the policy wants it."""
    target.breached_at = now
    target.save(update_fields=["breached_at"])
    sla_breached_event(target.case, target=target.kind, due_at=target.due_at, when=now)
    if target.policy is None:
        return
    for react in plugged("sla_target_breached"):
        react(target)
    if target.policy.escalate_notify_lead:
        notify_leads(target)


def notify_leads(target: SlaTarget) -> int:
    """Email the team's leads, each in their language, that the target was missed (sent by
    the task queue after commit); returns how many were queued."""
    case = target.case
    leads = User.objects.filter(teams=case.team, role=User.Role.LEAD, is_active=True).exclude(
        email=""
    )
    queued = 0
    for lead in leads:
        with translation.override(lead.language):
            label = str(target.get_kind_display())
        send_email(
            "sla_breached",
            to=lead.email,
            language=lead.language,
            context={
                "case": case,
                "target_label": label,
                "due": timezone.localtime(target.due_at),
                "url": settings.SITE_URL + case.get_absolute_url(),
            },
        )
        queued += 1
    return queued
