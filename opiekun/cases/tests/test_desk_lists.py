from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Tag
from opiekun.cases.selectors import Tab, tab_cases
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.tests.factories import CustomerFactory
from opiekun.sla.models import SlaTarget

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def numbers(client: Client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return [case.number for case in response.context["page"].items]


def test_my_cases_are_my_open_cases_most_recent_first(
    client: Client, agent_ann: User, lead_lee: User, team_a: Team
) -> None:
    older = CaseFactory.create(team=team_a, assignee=agent_ann, updated_at=NOW - timedelta(days=2))
    newer = CaseFactory.create(team=team_a, assignee=agent_ann, updated_at=NOW)
    CaseFactory.create(team=team_a, assignee=agent_ann, status=Case.Status.CLOSED)
    CaseFactory.create(team=team_a, assignee=lead_lee)
    client.force_login(agent_ann)

    assert numbers(client, "/cases/?tab=mine") == [newer.number, older.number]


def test_team_tab_holds_open_cases_of_my_teams_only(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    mine = CaseFactory.create(team=team_a)
    CaseFactory.create(team=team_a, status=Case.Status.RESOLVED)
    CaseFactory.create(team=team_b)
    client.force_login(agent_ann)

    assert numbers(client, "/cases/?tab=team") == [mine.number]


def test_unassigned_tab_shows_oldest_first_with_its_age(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    now = datetime.now(UTC)
    newest = CaseFactory.create(team=team_a, created_at=now - timedelta(hours=1))
    oldest = CaseFactory.create(team=team_a, created_at=now - timedelta(days=3))
    CaseFactory.create(team=team_a, assignee=agent_ann)
    CaseFactory.create(team=team_b, created_at=now - timedelta(days=9))
    client.force_login(agent_ann)

    response = client.get("/cases/?tab=unassigned")

    assert [case.number for case in response.context["page"].items] == [
        oldest.number,
        newest.number,
    ]
    html = response.content.decode()
    assert '<td class="age" title="' in html
    assert ">3\xa0days<" in html
    assert ">1\xa0hour<" in html


def test_all_tab_holds_every_visible_case_for_an_agent(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    closed = CaseFactory.create(team=team_a, status=Case.Status.CLOSED, updated_at=NOW)
    open_ = CaseFactory.create(team=team_a, updated_at=NOW - timedelta(hours=1))
    CaseFactory.create(team=team_b)
    client.force_login(agent_ann)

    assert numbers(client, "/cases/?tab=all") == [closed.number, open_.number]


def test_manager_sees_every_team_in_all(
    client: Client, manager_maja: User, team_a: Team, team_b: Team
) -> None:
    a = CaseFactory.create(team=team_a, updated_at=NOW)
    b = CaseFactory.create(team=team_b, updated_at=NOW - timedelta(hours=1))
    client.force_login(manager_maja)

    assert numbers(client, "/cases/?tab=all") == [a.number, b.number]
    assert numbers(client, "/cases/?tab=team") == []


def test_merged_cases_are_left_out(agent_ann: User, team_a: Team) -> None:
    into = CaseFactory.create(team=team_a)
    CaseFactory.create(team=team_a, merged_into=into)

    cases, _order = tab_cases(agent_ann, Tab.ALL)

    assert list(cases) == [into]


def test_filters_narrow_the_list(client: Client, agent_ann: User, team_a: Team) -> None:
    customer = CustomerFactory.create()
    wanted = CaseFactory.create(
        team=team_a,
        customer=customer,
        status=Case.Status.OPEN,
        priority=Case.Priority.URGENT,
        kind=Case.Kind.COMPLAINT,
        channel=Channel.PHONE,
        language="et",
        assignee=agent_ann,
        created_at=NOW,
    )
    wanted.tags.add(Tag.objects.create(name="zwrot"))
    urgent = CaseFactory.create(team=team_a, priority=Case.Priority.URGENT, created_at=NOW)
    CaseFactory.create(team=team_a, customer=customer, kind=Case.Kind.QUESTION, created_at=NOW)
    client.force_login(agent_ann)
    query = (
        f"/cases/?tab=all&status=open&priority=urgent&kind=complaint&channel=phone"
        f"&team={team_a.pk}&assignee={agent_ann.pk}&tag=zwrot&language=et"
        f"&customer={customer.pk}&created_from=2026-11-20&created_to=2026-11-20"
    )

    assert numbers(client, query) == [wanted.number]
    assert numbers(client, "/cases/?tab=all&created_from=2026-11-21") == []
    assert numbers(client, "/cases/?tab=all&assignee=none&priority=urgent") == [urgent.number]


def test_pages_follow_each_other_without_repeats(
    client: Client, agent_ann: User, team_a: Team, settings: Any
) -> None:
    settings.CASES_PER_PAGE = 2
    cases = [
        CaseFactory.create(team=team_a, updated_at=NOW - timedelta(minutes=index))
        for index in range(5)
    ]
    client.force_login(agent_ann)

    first = client.get("/cases/?tab=all")
    second = client.get("/cases/" + first.context["next_url"])
    third = client.get("/cases/" + second.context["next_url"])
    back = client.get("/cases/" + third.context["previous_url"])

    seen = [
        [case.number for case in response.context["page"].items]
        for response in (first, second, third, back)
    ]
    expected = [case.number for case in cases]
    assert seen == [expected[0:2], expected[2:4], expected[4:5], expected[2:4]]
    assert third.context["next_url"] == ""


def test_a_forged_cursor_shows_the_first_page(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    assert numbers(client, "/cases/?tab=all&cursor=forged") == [case.number]


def test_htmx_gets_only_the_table(client: Client, agent_ann: User, team_a: Team) -> None:
    CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = client.get("/cases/?tab=all", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="case-table">')
    assert "<html" not in html


def _fill(team: Team, agent: User, count: int) -> None:
    tags = [Tag.objects.create(name=f"tag{index}") for index in range(3)]
    for index in range(count):
        case = CaseFactory.create(
            team=team,
            assignee=agent if index % 2 else None,
            customer=CustomerFactory.create(),
            updated_at=NOW - timedelta(minutes=index),
        )
        case.tags.add(*tags)


@pytest.mark.parametrize("tab", [Tab.MINE, Tab.TEAM, Tab.UNASSIGNED, Tab.ALL])
def test_queries_per_page_do_not_grow_with_page_size(
    client: Client, agent_ann: User, team_a: Team, settings: Any, tab: str
) -> None:
    """Session, user, 2FA device, the user's teams, the filter bar's teams and agents, the page
    and its tags, teams, assignees and SLA targets, the four tab counts, saved views, the undo
    offer and (My cases) the overdue ones: the same few, however many rows it holds."""
    _fill(team_a, agent_ann, 24)
    client.force_login(agent_ann)
    counts = {}
    for size in (2, 10):
        settings.CASES_PER_PAGE = size
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/cases/?tab={tab}")
        assert len(response.context["page"].items) == size
        counts[size] = len(queries)

    assert counts[2] == counts[10] <= 19


def test_lists_show_the_time_left_coloured_by_urgency(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    on_time, late = (CaseFactory.create(team=team_a, assignee=agent_ann) for _ in range(2))
    now = timezone.now()
    for case, due in ((on_time, now + timedelta(hours=5)), (late, now - timedelta(hours=1))):
        SlaTarget.objects.create(
            case=case, kind=SlaTarget.Kind.FIRST_RESPONSE, started_at=now - timedelta(days=1),
            due_at=due, budget=timedelta(hours=24),
        )  # fmt: skip
    client.force_login(agent_ann)

    page = client.get("/cases/?tab=mine").content.decode()

    assert page.count('class="badge sla-ok"') == 1
    assert page.count('class="badge sla-breached"') == 1
