"""The case list for a day of work: tab counts, sortable columns that keep their filters and
page by cursor, overdue work first in My cases, rows for keyboard navigation, and the "new or
changed cases" bar."""

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case
from opiekun.cases.selectors import SORT_ORDERS, Sort, Tab, tab_cases
from opiekun.cases.tests.factories import CaseFactory
from opiekun.sla.models import SlaTarget

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def numbers(response: Any) -> list[str]:
    assert response.status_code == 200
    return [row.case.number for row in response.context["rows"]]


def breach(case: Case, *, by: timedelta) -> SlaTarget:
    now = timezone.now()
    return SlaTarget.objects.create(
        case=case,
        kind=SlaTarget.Kind.FIRST_RESPONSE,
        started_at=now - timedelta(days=2),
        due_at=now - by,
        budget=timedelta(hours=8),
    )


def test_tabs_show_how_many_cases_each_holds(
    client: Client, agent_ann: User, lead_lee: User, team_a: Team, team_b: Team
) -> None:
    CaseFactory.create(team=team_a, assignee=agent_ann)
    CaseFactory.create(team=team_a, assignee=lead_lee)
    CaseFactory.create(team=team_a)
    CaseFactory.create(team=team_a, status=Case.Status.CLOSED)
    CaseFactory.create(team=team_b)
    client.force_login(agent_ann)

    response = client.get("/cases/counts/")

    assert dict(response.context["counts"]) == {
        "mine": "1",
        "team": "3",
        "unassigned": "1",
        "all": "4",
    }
    assert (
        '<span class="count" id="tab-count-team" hx-swap-oob="true">3</span>'
        in response.content.decode()
    )
    assert 'id="tab-count-team"' in client.get("/cases/").content.decode()


def test_a_count_past_the_cap_reads_as_at_least(
    client: Client, agent_ann: User, team_a: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("opiekun.cases.selectors.COUNT_CAP", 3)
    monkeypatch.setattr("opiekun.cases.views.lists.COUNT_CAP", 3)
    for _ in range(4):
        CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = client.get("/cases/counts/")

    assert dict(response.context["counts"]) == {
        "mine": "0",
        "team": "2+",
        "unassigned": "2+",
        "all": "2+",
    }


def test_priority_sort_pages_by_cursor_without_repeats(
    client: Client, agent_ann: User, team_a: Team, settings: Any
) -> None:
    settings.CASES_PER_PAGE = 2
    made = {
        (priority, hours): CaseFactory.create(
            team=team_a, priority=priority, updated_at=NOW - timedelta(hours=hours)
        )
        for priority, hours in [
            (Case.Priority.LOW, 0),
            (Case.Priority.URGENT, 3),
            (Case.Priority.NORMAL, 1),
            (Case.Priority.URGENT, 1),
            (Case.Priority.HIGH, 2),
        ]
    }
    client.force_login(agent_ann)

    first = client.get("/cases/?tab=team&sort=priority")
    second = client.get("/cases/" + first.context["next_url"])
    third = client.get("/cases/" + second.context["next_url"])
    back = client.get("/cases/" + third.context["previous_url"])

    expected = [
        made[key].number
        for key in [
            (Case.Priority.URGENT, 1),
            (Case.Priority.URGENT, 3),
            (Case.Priority.HIGH, 2),
            (Case.Priority.NORMAL, 1),
            (Case.Priority.LOW, 0),
        ]
    ]
    pages = [numbers(response) for response in (first, second, third, back)]
    assert pages == [expected[0:2], expected[2:4], expected[4:5], expected[2:4]]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (Sort.CREATED, ["old", "middle", "new"]),
        (Sort.CREATED_NEWEST, ["new", "middle", "old"]),
        (Sort.ACTIVITY, ["middle", "new", "old"]),
        (Sort.ACTIVITY_OLDEST, ["old", "new", "middle"]),
        (Sort.PRIORITY_LOWEST, ["old", "new", "middle"]),
    ],
)
def test_each_sort_orders_the_list(
    client: Client, agent_ann: User, team_a: Team, sort: str, expected: list[str]
) -> None:
    subjects = {
        "old": (NOW - timedelta(days=3), NOW - timedelta(days=2), Case.Priority.LOW),
        "middle": (NOW - timedelta(days=2), NOW, Case.Priority.HIGH),
        "new": (NOW - timedelta(days=1), NOW - timedelta(hours=1), Case.Priority.NORMAL),
    }
    for subject, (created, updated, priority) in subjects.items():
        CaseFactory.create(
            team=team_a, subject=subject, created_at=created, updated_at=updated, priority=priority
        )
    client.force_login(agent_ann)

    response = client.get(f"/cases/?tab=all&sort={sort}")

    assert [row.case.subject for row in response.context["rows"]] == expected


def test_column_headers_sort_and_keep_the_filters(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    CaseFactory.create(team=team_a, status=Case.Status.OPEN)
    client.force_login(agent_ann)

    response = client.get("/cases/?tab=team&status=open&sort=priority")

    headers = response.context["headers"]
    assert parse_qs(urlsplit(headers["priority"]["url"]).query) == {
        "tab": ["team"],
        "status": ["open"],
        "sort": ["priority_asc"],
    }
    assert parse_qs(urlsplit(headers["created"]["url"]).query)["sort"] == ["created"]
    assert (headers["priority"]["aria_sort"], headers["created"]["aria_sort"]) == (
        "descending",
        "",
    )
    assert 'aria-sort="descending"><a href="?tab=team&amp;status=open&amp;sort=priority_asc"' in (
        response.content.decode()
    )


@pytest.mark.parametrize("few_cases", [2000, 1], ids=["case by case", "walking the targets"])
def test_overdue_cases_come_first_in_my_cases(
    client: Client, agent_ann: User, team_a: Team, few_cases: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("opiekun.cases.selectors.FEW_CASES", few_cases)
    recent = CaseFactory.create(team=team_a, assignee=agent_ann, updated_at=timezone.now())
    quiet = CaseFactory.create(
        team=team_a, assignee=agent_ann, updated_at=timezone.now() - timedelta(days=2)
    )
    late = CaseFactory.create(
        team=team_a, assignee=agent_ann, updated_at=timezone.now() - timedelta(days=3)
    )
    later = CaseFactory.create(
        team=team_a, assignee=agent_ann, updated_at=timezone.now() - timedelta(days=4)
    )
    breach(late, by=timedelta(hours=1))
    breach(later, by=timedelta(hours=5))
    client.force_login(agent_ann)

    response = client.get("/cases/?tab=mine")

    assert numbers(response) == [later.number, late.number, recent.number, quiet.number]
    assert response.context["overdue_count"] == 2


def test_overdue_work_keeps_its_place_when_sorted_by_hand_or_in_other_tabs(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    recent = CaseFactory.create(team=team_a, assignee=agent_ann, updated_at=timezone.now())
    late = CaseFactory.create(
        team=team_a, assignee=agent_ann, updated_at=timezone.now() - timedelta(days=3)
    )
    breach(late, by=timedelta(hours=1))
    client.force_login(agent_ann)

    assert numbers(client.get("/cases/?tab=mine&sort=activity")) == [recent.number, late.number]
    assert numbers(client.get("/cases/?tab=team")) == [recent.number, late.number]


def test_a_paused_or_met_target_is_not_overdue(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    recent = CaseFactory.create(team=team_a, assignee=agent_ann, updated_at=timezone.now())
    paused = CaseFactory.create(
        team=team_a, assignee=agent_ann, updated_at=timezone.now() - timedelta(days=3)
    )
    met = CaseFactory.create(
        team=team_a, assignee=agent_ann, updated_at=timezone.now() - timedelta(days=4)
    )
    SlaTarget.objects.filter(pk=breach(paused, by=timedelta(hours=1)).pk).update(
        paused_at=timezone.now()
    )
    SlaTarget.objects.filter(pk=breach(met, by=timedelta(hours=1)).pk).update(met_at=timezone.now())
    client.force_login(agent_ann)

    assert numbers(client.get("/cases/?tab=mine")) == [
        recent.number,
        paused.number,
        met.number,
    ]


def test_overdue_cases_are_not_repeated_on_the_next_page(
    client: Client, agent_ann: User, team_a: Team, settings: Any
) -> None:
    settings.CASES_PER_PAGE = 2
    cases = [
        CaseFactory.create(
            team=team_a, assignee=agent_ann, updated_at=timezone.now() - timedelta(hours=index)
        )
        for index in range(4)
    ]
    breach(cases[3], by=timedelta(hours=1))
    client.force_login(agent_ann)

    first = client.get("/cases/?tab=mine")
    second = client.get("/cases/" + first.context["next_url"])

    # The overdue case heads the first page and counts towards its size.
    assert numbers(first) == [cases[3].number, cases[0].number]
    assert numbers(second) == [cases[1].number, cases[2].number]


def test_each_row_carries_its_case_address_for_keyboard_navigation(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    html = client.get("/cases/?tab=all").content.decode()

    assert f'<tr data-case-row data-href="/cases/{case.number}/">' in html


def test_the_news_bar_counts_cases_changed_since_the_list_was_shown(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    shown_at = timezone.now()
    CaseFactory.create(team=team_a, updated_at=shown_at - timedelta(minutes=1))
    CaseFactory.create(team=team_a, updated_at=shown_at + timedelta(seconds=5))
    CaseFactory.create(team=team_a, updated_at=shown_at + timedelta(seconds=9))
    CaseFactory.create(team=team_b, updated_at=shown_at + timedelta(seconds=9))
    client.force_login(agent_ann)

    response = client.get(
        "/cases/news/", {"tab": "team", "since": shown_at.isoformat()}, headers={"HX-Request": "1"}
    )

    assert response.context["count"] == 2
    assert "2 new or changed cases in this list." in response.content.decode()


def test_the_news_bar_is_empty_when_nothing_changed(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    CaseFactory.create(team=team_a, updated_at=timezone.now() - timedelta(minutes=1))
    client.force_login(agent_ann)

    response = client.get("/cases/news/", {"tab": "team", "since": timezone.now().isoformat()})

    assert response.content.decode().strip() == ""


def test_refreshing_the_table_keeps_the_ticked_cases_ticked(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    ticked, other = CaseFactory.create(team=team_a), CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    html = client.get(
        "/cases/", {"tab": "all", "case": [ticked.number]}, headers={"HX-Request": "true"}
    ).content.decode()

    assert f'value="{ticked.number}" aria-label="Tick case {ticked.number}" checked>' in html
    assert f'value="{other.number}" aria-label="Tick case {other.number}">' in html


def test_the_page_polls_for_changes_with_htmx(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    html = client.get("/cases/?tab=team").content.decode()

    assert 'hx-get="/cases/news/?tab=team&amp;since=' in html
    assert 'hx-trigger="every 20s"' in html


@pytest.mark.skipif(connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's")
@pytest.mark.parametrize("sort", Sort.values)
@pytest.mark.parametrize("tab", Tab.values)
@pytest.mark.parametrize("who", ["agent_ann", "manager_maja"])
def test_every_sort_of_every_tab_is_read_from_an_index_without_sorting(
    request: pytest.FixtureRequest, team_a: Team, who: str, tab: str, sort: str
) -> None:
    user: User = request.getfixturevalue(who)
    team_a.members.add(user)
    CaseFactory.create(team=team_a)
    cases, order = tab_cases(user, tab, sort)
    assert order == SORT_ORDERS[sort]
    sql, params = cases.order_by(*order)[:51].query.sql_with_params()

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        steps = [row[3] for row in cursor.fetchall()]

    assert len(steps) == 1, steps
    assert "USING INDEX" in steps[0] or "USING COVERING INDEX" in steps[0], steps
