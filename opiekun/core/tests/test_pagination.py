import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django import DjangoAssertNumQueries

from opiekun.accounts.models import Team
from opiekun.accounts.tests.factories import TeamFactory
from opiekun.cases.models import Case, Channel
from opiekun.core.pagination import InvalidCursor, Page, keyset_page
from opiekun.customers.models import Customer
from opiekun.customers.tests.factories import CustomerFactory

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def make_cases(team: Team, customer: Customer, minutes: list[int]) -> list[Case]:
    """One case per entry, updated `minute` minutes after START (equal minutes tie)."""
    return Case.objects.bulk_create(
        Case(
            number=f"T-{index:06d}",
            subject=f"Case {index}",
            channel=Channel.EMAIL,
            team=team,
            customer=customer,
            created_at=START + timedelta(minutes=minute),
            updated_at=START + timedelta(minutes=minute),
        )
        for index, minute in enumerate(minutes)
    )


def numbers(page: Page[Case]) -> list[str]:
    return [case.number for case in page.items]


@pytest.fixture
def team(db: None) -> Team:
    return TeamFactory.create(name="Paging")


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create()


def test_first_page_is_newest_first_with_a_cursor_to_the_next(
    team: Team, customer: Customer
) -> None:
    make_cases(team, customer, [1, 3, 2, 5, 4])

    page = keyset_page(Case.objects.all(), cursor=None, size=2)

    assert numbers(page) == ["T-000003", "T-000004"]
    assert page.has_next is True
    assert page.has_previous is False
    assert page.previous_cursor is None


def test_next_and_previous_cursors_walk_the_list(team: Team, customer: Customer) -> None:
    make_cases(team, customer, [1, 3, 2, 5, 4])
    first = keyset_page(Case.objects.all(), cursor=None, size=2)

    second = keyset_page(Case.objects.all(), cursor=first.next_cursor, size=2)
    third = keyset_page(Case.objects.all(), cursor=second.next_cursor, size=2)
    back = keyset_page(Case.objects.all(), cursor=third.previous_cursor, size=2)

    assert numbers(second) == ["T-000001", "T-000002"]
    assert (second.has_previous, second.has_next) == (True, True)
    assert numbers(third) == ["T-000000"]
    assert (third.has_previous, third.has_next) == (True, False)
    assert numbers(back) == ["T-000001", "T-000002"]
    assert (back.has_previous, back.has_next) == (True, True)


def test_ascending_order_lists_oldest_first(team: Team, customer: Customer) -> None:
    make_cases(team, customer, [2, 1, 1, 3])
    first = keyset_page(Case.objects.all(), cursor=None, size=2, order=("created_at", "id"))

    second = keyset_page(
        Case.objects.all(), cursor=first.next_cursor, size=2, order=("created_at", "id")
    )

    assert numbers(first) == ["T-000001", "T-000002"]
    assert numbers(second) == ["T-000000", "T-000003"]
    assert second.has_next is False


def test_ties_are_broken_by_primary_key_when_order_does_not_name_it(
    team: Team, customer: Customer
) -> None:
    make_cases(team, customer, [1, 1, 1])
    first = keyset_page(Case.objects.all(), cursor=None, size=2, order=("-updated_at",))

    second = keyset_page(
        Case.objects.all(), cursor=first.next_cursor, size=2, order=("-updated_at",)
    )

    assert numbers(first) == ["T-000002", "T-000001"]
    assert numbers(second) == ["T-000000"]


def test_a_page_is_one_query_and_never_counts(
    team: Team, customer: Customer, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    make_cases(team, customer, [1, 2, 3])
    first = keyset_page(Case.objects.all(), cursor=None, size=1)

    with django_assert_num_queries(1) as captured:
        page = keyset_page(Case.objects.all(), cursor=first.next_cursor, size=1)

    assert numbers(page) == ["T-000001"]
    assert "COUNT(" not in captured.captured_queries[0]["sql"].upper()


def test_cursor_is_url_safe(team: Team, customer: Customer) -> None:
    make_cases(team, customer, [1, 2])

    page = keyset_page(Case.objects.all(), cursor=None, size=1)

    assert page.next_cursor is not None
    assert re.fullmatch(r"[A-Za-z0-9_.\-]+", page.next_cursor)


def test_edited_cursor_is_refused(team: Team, customer: Customer) -> None:
    make_cases(team, customer, [1, 2])
    cursor = keyset_page(Case.objects.all(), cursor=None, size=1).next_cursor
    assert cursor is not None
    forged = ("A" if cursor[0] != "A" else "B") + cursor[1:]

    with pytest.raises(InvalidCursor):
        keyset_page(Case.objects.all(), cursor=forged, size=1)


def test_cursor_for_another_ordering_is_refused(team: Team, customer: Customer) -> None:
    make_cases(team, customer, [1, 2])
    cursor = keyset_page(Case.objects.all(), cursor=None, size=1).next_cursor

    with pytest.raises(InvalidCursor):
        keyset_page(Case.objects.all(), cursor=cursor, size=1, order=("created_at", "id"))


@pytest.mark.django_db
def test_garbage_cursor_is_refused() -> None:
    with pytest.raises(InvalidCursor):
        keyset_page(Case.objects.all(), cursor="not-a-cursor", size=10)


def test_when_rows_after_the_cursor_vanish_the_empty_page_still_leads_back(
    team: Team, customer: Customer
) -> None:
    make_cases(team, customer, [1, 2, 3, 4])
    first = keyset_page(Case.objects.all(), cursor=None, size=2)
    Case.objects.filter(number__in=["T-000000", "T-000001"]).delete()

    empty = keyset_page(Case.objects.all(), cursor=first.next_cursor, size=2)
    back = keyset_page(Case.objects.all(), cursor=empty.previous_cursor, size=2)

    assert numbers(empty) == []
    assert empty.has_next is False
    assert numbers(back) == ["T-000003", "T-000002"]
    assert back.has_previous is False


def test_when_rows_before_the_cursor_vanish_previous_gives_the_first_page(
    team: Team, customer: Customer
) -> None:
    make_cases(team, customer, [1, 2, 3, 4])
    first = keyset_page(Case.objects.all(), cursor=None, size=2)
    second = keyset_page(Case.objects.all(), cursor=first.next_cursor, size=2)
    Case.objects.filter(number__in=["T-000002", "T-000003"]).delete()

    back = keyset_page(Case.objects.all(), cursor=second.previous_cursor, size=2)

    assert numbers(back) == ["T-000001", "T-000000"]
    assert back.has_previous is False


@pytest.mark.django_db
def test_nullable_ordering_field_is_rejected() -> None:
    with pytest.raises(ValueError, match="not a concrete non-null field"):
        keyset_page(Case.objects.all(), cursor=None, size=1, order=("-resolved_at",))


@pytest.mark.django_db
def test_empty_page_size_is_rejected() -> None:
    with pytest.raises(ValueError, match="at least one row"):
        keyset_page(Case.objects.all(), cursor=None, size=0)


ORDERS = st.sampled_from(
    [("-updated_at", "-id"), ("updated_at", "id"), ("-updated_at", "id"), ("created_at",)]
)


def expected_order(cases: list[Case], order: tuple[str, ...]) -> list[str]:
    """The order computed in Python, one stable sort per key from the last to the first."""
    keys = [*order, "id"] if order[-1].lstrip("-") != "id" else list(order)
    rows = list(cases)
    for key in reversed(keys):
        rows.sort(key=lambda case: getattr(case, key.lstrip("-")), reverse=key.startswith("-"))
    return [case.number for case in rows]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    minutes=st.lists(st.integers(min_value=0, max_value=5), max_size=25),
    size=st.integers(min_value=1, max_value=7),
    order=ORDERS,
)
def test_walking_forward_then_back_yields_every_row_once_in_order(
    team: Team, customer: Customer, minutes: list[int], size: int, order: tuple[str, ...]
) -> None:
    with transaction.atomic():
        cases = make_cases(team, customer, minutes)
        expected = expected_order(list(Case.objects.all()), order)

        forward: list[str] = []
        page = keyset_page(Case.objects.all(), cursor=None, size=size, order=order)
        pages = [page]
        forward += numbers(page)
        while page.has_next:
            page = keyset_page(Case.objects.all(), cursor=page.next_cursor, size=size, order=order)
            pages.append(page)
            forward += numbers(page)

        backward: list[str] = numbers(page)
        while page.has_previous:
            page = keyset_page(
                Case.objects.all(), cursor=page.previous_cursor, size=size, order=order
            )
            backward = numbers(page) + backward

        assert len(cases) == len(minutes)
        assert forward == expected
        assert backward == expected
        assert all(len(p.items) == size for p in pages[:-1])
        transaction.set_rollback(True)
