"""Each tab's page is read in index order: no sort over the team's (or everyone's) cases.

SQLite only; PostgreSQL chooses plans from statistics, which a test database lacks. The
same check was run by hand on a scratch database of 100,000 cases."""

import pytest
from django.db import connection

from opiekun.accounts.models import Team, User
from opiekun.cases.selectors import Tab, tab_cases
from opiekun.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's"
)


def plan(user: User, tab: str) -> list[str]:
    cases, order = tab_cases(user, tab)
    sql, params = cases.order_by(*order)[:51].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[3] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    ("tab", "index"),
    [
        (Tab.MINE, "case_mine"),
        (Tab.TEAM, "case_team"),
        (Tab.UNASSIGNED, "case_team_unassigned"),
        (Tab.ALL, "case_team"),
    ],
)
def test_an_agents_tabs_use_an_index_and_no_sort(
    agent_ann: User, team_a: Team, tab: str, index: str
) -> None:
    CaseFactory.create(team=team_a)

    steps = plan(agent_ann, tab)

    assert len(steps) == 1
    assert f"USING INDEX {index} " in steps[0]


@pytest.mark.parametrize(
    ("tab", "index"),
    [(Tab.MINE, "case_mine"), (Tab.UNASSIGNED, "case_unassigned"), (Tab.ALL, "case_recent")],
)
def test_a_managers_tabs_use_an_index_and_no_sort(
    manager_maja: User, team_a: Team, tab: str, index: str
) -> None:
    CaseFactory.create(team=team_a)

    steps = plan(manager_maja, tab)

    assert len(steps) == 1
    assert f"USING INDEX {index}" in steps[0]
