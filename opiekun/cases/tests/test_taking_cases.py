"""The agent who answers, calls or serves the customer of a case nobody has takes the case
(if the team wants it so); "problem solved" on the phone or at the counter resolves it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case
from opiekun.cases.services import add_reply
from opiekun.cases.tests.factories import CaseFactory
from opiekun.channels.phone.inbound import log_call
from opiekun.channels.phone.models import Outcome
from opiekun.channels.visits.forms import VisitOutcome
from opiekun.channels.visits.inbound import log_visit
from opiekun.channels.visits.models import ServicePoint
from opiekun.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_replying_to_a_case_nobody_has_takes_it(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a, status=Case.Status.NEW)

    add_reply(case, by=agent_ann, body_text="Dzień dobry.")

    case.refresh_from_db()
    assert (case.assignee, case.status) == (agent_ann, Case.Status.PENDING_CUSTOMER)


def test_replying_leaves_a_case_someone_has_and_a_team_that_does_not_want_it(
    team_a: Team, agent_ann: User, lead_lee: User
) -> None:
    taken = CaseFactory.create(team=team_a, assignee=lead_lee)
    team_b = Team.objects.create(name="Bez przejmowania", assign_on_reply=False)
    team_b.members.add(agent_ann)
    free = CaseFactory.create(team=team_b)

    add_reply(taken, by=agent_ann, body_text="Dzień dobry.")
    add_reply(free, by=agent_ann, body_text="Dzień dobry.")

    taken.refresh_from_db()
    free.refresh_from_db()
    assert (taken.assignee, free.assignee) == (lead_lee, None)


def test_an_agent_outside_the_team_does_not_take_the_case(team_a: Team, agent_otto: User) -> None:
    case = CaseFactory.create(team=team_a)

    add_reply(case, by=agent_otto, body_text="Dzień dobry.")

    case.refresh_from_db()
    assert case.assignee is None


def test_a_call_an_agent_took_is_theirs_and_solved_resolves_it(
    team_a: Team, agent_ann: User
) -> None:
    start = timezone.now() - timedelta(minutes=10)

    call = log_call(
        number="600100200", direction="inbound", team=team_a, by=agent_ann, started_at=start,
        ended_at=start + timedelta(minutes=4), outcome=Outcome.RESOLVED,
    )  # fmt: skip

    case = Case.objects.get(pk=call.case_id)
    assert (case.assignee, case.status) == (agent_ann, Case.Status.RESOLVED)


def test_a_visit_served_by_an_agent_is_theirs_and_solved_resolves_it(
    team_a: Team, agent_ann: User
) -> None:
    point = ServicePoint.objects.create(name="Salon", slug="salon", team=team_a)
    case = CaseFactory.create(team=team_a, customer=CustomerFactory.create())
    start = timezone.now() - timedelta(minutes=10)

    log_visit(
        point=point, customer=case.customer, by=agent_ann, reason="Zwrot",
        outcome=VisitOutcome.RESOLVED, started_at=start, case=case,
    )  # fmt: skip

    case.refresh_from_db()
    assert (case.assignee, case.status) == (agent_ann, Case.Status.RESOLVED)
