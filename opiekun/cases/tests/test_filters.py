from datetime import UTC, date, datetime

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.filters import CaseFilters, filter_cases
from opiekun.cases.models import Case, Channel, Tag
from opiekun.cases.selectors import visible_cases
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory


def subjects(cases: QuerySet[Case]) -> list[str]:
    return sorted(cases.values_list("subject", flat=True))


def test_no_filters_keep_every_case(team_a: Team) -> None:
    CaseFactory.create(subject="one", team=team_a)
    CaseFactory.create(subject="two", team=team_a)

    result = filter_cases(Case.objects.all(), CaseFilters())

    assert subjects(result) == ["one", "two"]
    assert CaseFilters().is_empty() is True


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (CaseFilters(status=Case.Status.OPEN), ["match"]),
        (CaseFilters(priority=Case.Priority.URGENT), ["match"]),
        (CaseFilters(kind=Case.Kind.COMPLAINT), ["match"]),
        (CaseFilters(channel=Channel.PHONE), ["match"]),
        (CaseFilters(language="et"), ["match"]),
        (
            CaseFilters(
                status=Case.Status.OPEN,
                priority=Case.Priority.URGENT,
                kind=Case.Kind.COMPLAINT,
                channel=Channel.PHONE,
                language="et",
            ),
            ["match"],
        ),
        (CaseFilters(status=Case.Status.CLOSED), []),
    ],
)
def test_exact_fields_narrow_the_list(
    team_a: Team, filters: CaseFilters, expected: list[str]
) -> None:
    CaseFactory.create(
        subject="match",
        team=team_a,
        status=Case.Status.OPEN,
        priority=Case.Priority.URGENT,
        kind=Case.Kind.COMPLAINT,
        channel=Channel.PHONE,
        language="et",
    )
    CaseFactory.create(subject="other", team=team_a)

    result = filter_cases(Case.objects.all(), filters)

    assert subjects(result) == expected


def test_team_filter_keeps_that_teams_cases(team_a: Team, team_b: Team) -> None:
    CaseFactory.create(subject="a", team=team_a)
    CaseFactory.create(subject="b", team=team_b)

    result = filter_cases(Case.objects.all(), CaseFilters(team=team_b.pk))

    assert subjects(result) == ["b"]


def test_assignee_filter_by_id_and_unassigned(
    team_a: Team, agent_ann: User, lead_lee: User
) -> None:
    CaseFactory.create(subject="ann's", team=team_a, assignee=agent_ann)
    CaseFactory.create(subject="lee's", team=team_a, assignee=lead_lee)
    CaseFactory.create(subject="nobody's", team=team_a, assignee=None)

    by_ann = filter_cases(Case.objects.all(), CaseFilters(assignee=agent_ann.pk))
    unassigned = filter_cases(Case.objects.all(), CaseFilters(assignee="none"))

    assert subjects(by_ann) == ["ann's"]
    assert subjects(unassigned) == ["nobody's"]


def test_tag_filter_matches_the_stored_lower_case_name(team_a: Team) -> None:
    tagged = CaseFactory.create(subject="tagged", team=team_a)
    tagged.tags.add(Tag.objects.create(name="refund"), Tag.objects.create(name="vip"))
    CaseFactory.create(subject="plain", team=team_a).tags.add(Tag.objects.create(name="other"))

    result = filter_cases(Case.objects.all(), CaseFilters(tag=" Refund "))

    assert subjects(result) == ["tagged"]


def test_customer_filter_keeps_that_customers_cases(team_a: Team) -> None:
    kasia = CustomerFactory.create(name="Kasia")
    CaseFactory.create(subject="kasia's", team=team_a, customer=kasia)
    CaseFactory.create(subject="someone else's", team=team_a)

    result = filter_cases(Case.objects.all(), CaseFilters(customer=kasia.pk))

    assert subjects(result) == ["kasia's"]


def test_created_dates_are_inclusive_days_in_the_site_time_zone(team_a: Team) -> None:
    # Europe/Warsaw is UTC+2 in summer: 1 June starts at 31 May 22:00 UTC.
    CaseFactory.create(
        subject="31 May", team=team_a, created_at=datetime(2026, 5, 31, 21, 59, 59, tzinfo=UTC)
    )
    CaseFactory.create(
        subject="1 June early", team=team_a, created_at=datetime(2026, 5, 31, 22, 0, tzinfo=UTC)
    )
    CaseFactory.create(
        subject="2 June late", team=team_a, created_at=datetime(2026, 6, 2, 21, 59, 59, tzinfo=UTC)
    )
    CaseFactory.create(
        subject="3 June", team=team_a, created_at=datetime(2026, 6, 2, 22, 0, tzinfo=UTC)
    )

    result = filter_cases(
        Case.objects.all(), CaseFilters(created_from=date(2026, 6, 1), created_to=date(2026, 6, 2))
    )

    assert subjects(result) == ["1 June early", "2 June late"]


def test_created_dates_ignore_the_users_active_time_zone(team_a: Team) -> None:
    CaseFactory.create(
        subject="1 June", team=team_a, created_at=datetime(2026, 5, 31, 22, 30, tzinfo=UTC)
    )

    with timezone.override("America/New_York"):
        result = filter_cases(Case.objects.all(), CaseFilters(created_from=date(2026, 6, 1)))

    assert subjects(result) == ["1 June"]


def test_filters_as_params_leave_out_unset_fields() -> None:
    filters = CaseFilters(status="open", team=3, assignee="none", created_from=date(2026, 6, 1))

    assert filters.as_params() == {
        "status": "open",
        "team": "3",
        "assignee": "none",
        "created_from": "2026-06-01",
    }
    assert filters.is_empty() is False


def test_search_finds_a_case_by_number_or_by_its_customer(
    team_a: Team, agent_ann: User, agent_otto: User
) -> None:
    ewa = CustomerFactory.create(name="Ewa Żak")
    IdentityFactory.create(customer=ewa, value="ewa.zak@example.pl")
    IdentityFactory.create(customer=ewa, kind="phone", value="+48601202303")
    hers = CaseFactory.create(team=team_a, customer=ewa)
    other = CaseFactory.create(team=team_a)

    def found(query: str, user: User = agent_ann) -> list[Case]:
        return list(filter_cases(visible_cases(user), CaseFilters(q=query)).order_by("id"))

    assert found(other.number) == [other]
    assert found(f"[#{hers.number}]") == [hers]
    assert found("żak") == [hers]
    assert found("Ewa.Zak@Example.PL") == [hers]
    assert found("601 202 303") == [hers]
    assert found("nobody") == []
    assert found(hers.number, agent_otto) == []
