from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Event
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.tests.factories import CustomerFactory, OrganisationFactory
from opiekun.sla.models import BusinessCalendar, OpeningPeriod, SlaPolicy, SlaTarget
from opiekun.sla.selectors import matching_policy, sla_states
from opiekun.sla.services import (
    check_targets,
    note_agent_response,
    note_customer_message,
    note_status_change,
    start_case_clocks,
)

WARSAW = ZoneInfo("Europe/Warsaw")


def warsaw(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WARSAW)


@pytest.fixture(autouse=True)
def _only_the_policies_a_test_makes(db: None) -> None:
    SlaPolicy.objects.all().delete()  # the installation's default policy


@pytest.fixture
def office(db: None) -> BusinessCalendar:
    calendar = BusinessCalendar.objects.create(name="Biuro", time_zone="Europe/Warsaw")
    for weekday in range(5):
        OpeningPeriod.objects.create(
            calendar=calendar, weekday=weekday, opens=time(8), closes=time(16)
        )
    return calendar


@pytest.fixture
def written(office: BusinessCalendar) -> SlaPolicy:
    """The practice's default: written channels answered within 24 business hours."""
    return SlaPolicy.objects.create(
        name="Written",
        channels=["email", "web", "portal"],
        calendar=office,
        first_response_minutes=24 * 60,
        next_response_minutes=24 * 60,
        resolution_minutes=5 * 8 * 60,
    )


def opened(team: Team, at: datetime, **fields: object) -> Case:
    case = CaseFactory.create(team=team, created_at=at, updated_at=at, **fields)
    start_case_clocks(case)
    return case


def target(case: Case, kind: str) -> SlaTarget:
    return SlaTarget.objects.get(case=case, kind=kind)


def test_first_response_is_due_after_24_business_hours(team_a: Team, written: SlaPolicy) -> None:
    case = opened(team_a, warsaw(11, 27, 14))  # a Friday

    first = target(case, SlaTarget.Kind.FIRST_RESPONSE)

    assert first.due_at == warsaw(12, 2, 14)
    assert first.policy == written
    assert target(case, SlaTarget.Kind.RESOLUTION).due_at == warsaw(12, 4, 14)


def test_policies_match_by_order_channel_and_organisation(team_a: Team, written: SlaPolicy) -> None:
    vip = OrganisationFactory.create(name="VIP sp. z o.o.")
    urgent_vip = SlaPolicy.objects.create(
        name="VIP", order=1, organisation=vip, first_response_minutes=60
    )
    phone = CaseFactory.create(team=team_a, channel="phone")
    vip_mail = CaseFactory.create(team=team_a, customer=CustomerFactory.create(organisation=vip))

    assert matching_policy(CaseFactory.create(team=team_a)) == written
    assert matching_policy(phone) is None
    assert matching_policy(vip_mail) == urgent_vip


def test_an_answer_meets_the_response_target_and_a_new_message_starts_the_next(
    team_a: Team, written: SlaPolicy
) -> None:
    case = opened(team_a, warsaw(11, 23, 9))

    note_agent_response(case, at=warsaw(11, 23, 10))
    note_customer_message(case, at=warsaw(11, 23, 15))

    assert target(case, SlaTarget.Kind.FIRST_RESPONSE).met_at == warsaw(11, 23, 10)
    next_response = target(case, SlaTarget.Kind.NEXT_RESPONSE)
    assert (next_response.started_at, next_response.due_at) == (
        warsaw(11, 23, 15),
        warsaw(11, 26, 15),
    )


def test_the_clock_pauses_while_the_case_waits_on_the_customer(
    team_a: Team, written: SlaPolicy
) -> None:
    case = opened(team_a, warsaw(11, 23, 8))
    resolution = target(case, SlaTarget.Kind.RESOLUTION)
    assert resolution.due_at == warsaw(11, 27, 16)

    note_status_change(case, before="open", after="pending_customer", at=warsaw(11, 23, 12))
    note_status_change(case, before="pending_customer", after="open", at=warsaw(11, 24, 12))

    # Paused for one business day (Mon 12:00 → Tue 12:00): due one business day later.
    resolution.refresh_from_db()
    assert (resolution.due_at, resolution.paused_at) == (warsaw(11, 30, 16), None)


def test_resolving_meets_resolution_and_ends_response_targets(
    team_a: Team, written: SlaPolicy
) -> None:
    case = opened(team_a, warsaw(11, 23, 8))

    note_status_change(case, before="open", after="resolved", at=warsaw(11, 24, 9))

    assert target(case, SlaTarget.Kind.RESOLUTION).met_at == warsaw(11, 24, 9)
    first = target(case, SlaTarget.Kind.FIRST_RESPONSE)
    assert (first.met_at, first.cancelled_at) == (None, warsaw(11, 24, 9))


def test_warning_at_80_percent_then_escalation_at_breach(
    team_a: Team,
    written: SlaPolicy,
    lead_lee: User,
    agent_otto: User,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    written.escalate_raise_priority = True
    written.escalate_reassign_to = agent_otto
    written.save()
    case = opened(team_a, warsaw(11, 23, 8))  # first response due Wed 11-25 16:00

    with django_capture_on_commit_callbacks(execute=True):
        early = check_targets(now=warsaw(11, 24, 8))
        warned = check_targets(now=warsaw(11, 25, 12))
        breached = check_targets(now=warsaw(11, 25, 16, 1))
        again = check_targets(now=warsaw(11, 25, 17))

    assert (early, warned) == ({"warned": 0, "breached": 0}, {"warned": 1, "breached": 0})
    assert breached == {"warned": 0, "breached": 1}
    assert again == {"warned": 0, "breached": 0}
    case.refresh_from_db()
    assert (case.priority, case.assignee) == (Case.Priority.HIGH, agent_otto)
    assert [m.to for m in mail.outbox] == [[lead_lee.email]]
    assert mail.outbox[0].subject == f"[#{case.number}] First response time exceeded"
    sla_events = Event.objects.filter(case=case, kind="sla").order_by("created_at", "id")
    assert [(e.payload["target"], e.payload["what"]) for e in sla_events] == [
        ("first_response", "warning"),
        ("first_response", "breached"),
    ]


def test_a_paused_target_never_breaches(team_a: Team, written: SlaPolicy) -> None:
    case = opened(team_a, warsaw(11, 23, 8), status=Case.Status.OPEN)
    note_status_change(case, before="open", after="pending_customer", at=warsaw(11, 23, 9))

    assert check_targets(now=warsaw(12, 31, 9)) == {"warned": 0, "breached": 0}


def test_lists_get_the_nearest_target_of_each_case_in_one_query(
    team_a: Team, written: SlaPolicy, django_assert_num_queries: object
) -> None:
    late = opened(team_a, warsaw(11, 2, 9))
    fresh = opened(team_a, warsaw(11, 23, 9))
    without = CaseFactory.create(team=team_a, channel="phone")

    with django_assert_num_queries(1):  # type: ignore[operator]
        states = sla_states([late, fresh, without], now=warsaw(11, 23, 10))

    assert states[late.pk].urgency == "breached"
    assert states[late.pk].target.kind == SlaTarget.Kind.FIRST_RESPONSE
    assert states[fresh.pk].urgency == "ok"
    assert states[fresh.pk].left == timedelta(days=2, hours=23)
    assert without.pk not in states
