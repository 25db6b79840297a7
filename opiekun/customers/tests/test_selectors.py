"""Finding customers and what the panel beside a case shows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.forms import KnownFactForm
from opiekun.customers.selectors import (
    access_customer,
    customer_cases,
    customer_panel_context,
    find_customers,
    visible_customers,
)
from opiekun.customers.tests.factories import (
    CustomerFactory,
    IdentityFactory,
    KnownFactFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "Kowalski",
        "jan kow",
        "Jan.Kowalski@Example.PL",
        "jan.k@firma.pl",
        "@firma.pl",
        "600 100 200",
        "+48 600-100-200",
        "0048600100200",
        "+372 5123 4567",
        "Budimex",
    ],
)
def test_find_customers_by_name_email_phone_or_organisation(agent_ann: User, query: str) -> None:
    jan = CustomerFactory.create(
        name="Jan Kowalski", organisation=OrganisationFactory.create(name="Budimex SA")
    )
    IdentityFactory.create(customer=jan, value="jan.kowalski@example.pl")
    IdentityFactory.create(customer=jan, value="jan.k@firma.pl")
    IdentityFactory.create(customer=jan, kind="phone", value="+48600100200")
    IdentityFactory.create(customer=jan, kind="phone", value="+37251234567")
    CustomerFactory.create(name="Anna Nowak")

    assert list(find_customers(agent_ann, query)) == [jan]


def test_find_customers_leaves_out_merged_records(agent_ann: User) -> None:
    kept = CustomerFactory.create(name="Jan Kowalski")
    CustomerFactory.create(name="Jan Kowalski", merged_into=kept)

    assert list(find_customers(agent_ann, "Kowalski")) == [kept]


def test_an_empty_query_finds_nobody(agent_ann: User) -> None:
    CustomerFactory.create()

    assert list(find_customers(agent_ann, "  ")) == []


def test_an_inactive_user_sees_no_customers(agent_ann: User) -> None:
    CustomerFactory.create()
    agent_ann.is_active = False

    assert list(visible_customers(agent_ann)) == []


def test_access_customer_resolves_a_merged_record(agent_ann: User) -> None:
    kept = CustomerFactory.create()
    middle = CustomerFactory.create(merged_into=kept)
    old = CustomerFactory.create(merged_into=middle)

    assert access_customer(agent_ann, old.pk) == kept


def test_access_customer_refuses_an_unknown_id(agent_ann: User) -> None:
    with pytest.raises(Http404):
        access_customer(agent_ann, 999)


def test_customer_cases_links_visible_cases_and_counts_the_others(
    agent_ann: User, team_a: Team, team_b: Team
) -> None:
    customer = CustomerFactory.create()
    now = timezone.now()
    older = CaseFactory.create(customer=customer, team=team_a, updated_at=now - timedelta(days=2))
    newer = CaseFactory.create(customer=customer, team=team_a, updated_at=now)
    CaseFactory.create_batch(2, customer=customer, team=team_b)
    CaseFactory.create(customer=customer, team=team_a, merged_into=newer)

    cases = customer_cases(customer, user=agent_ann)

    assert (cases.visible, cases.more, cases.hidden) == ([newer, older], 0, 2)


def test_customer_cases_counts_what_is_beyond_the_limit(agent_ann: User, team_a: Team) -> None:
    customer = CustomerFactory.create()
    CaseFactory.create_batch(4, customer=customer, team=team_a)

    cases = customer_cases(customer, user=agent_ann, limit=3)

    assert (len(cases.visible), cases.more, cases.hidden) == (3, 1, 0)


def test_panel_context_shows_other_visible_cases_recent_first_at_most_five(
    agent_ann: User, team_a: Team, team_b: Team
) -> None:
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    fact = KnownFactFactory.create(customer=customer)
    now = timezone.now()
    current = CaseFactory.create(customer=customer, team=team_a, updated_at=now)
    others = [
        CaseFactory.create(customer=customer, team=team_a, updated_at=now - timedelta(hours=h))
        for h in range(1, 8)
    ]
    CaseFactory.create(customer=customer, team=team_b)

    context = customer_panel_context(customer, user=agent_ann, exclude_case=current)

    assert context["customer"] == customer
    assert [identity.value for identity in context["identities"]] == ["jan@example.pl"]
    assert context["facts"] == [fact]
    assert context["other_cases"] == others[:5]
    assert (context["other_cases_more"], context["other_cases_hidden"]) == (2, 1)
    assert context["panel_case"] == current
    form = context["fact_form"]
    assert isinstance(form, KnownFactForm)
    assert form.initial == {"case": current.number, "next": current.get_absolute_url()}


def test_panel_context_query_count_does_not_grow_with_cases_and_facts(
    agent_ann: User, team_a: Team
) -> None:
    customer = CustomerFactory.create()
    current = CaseFactory.create(customer=customer, team=team_a)
    CaseFactory.create(customer=customer, team=team_a)
    KnownFactFactory.create(customer=customer, source_case=current)
    with CaptureQueriesContext(connection) as few:
        customer_panel_context(customer, user=agent_ann, exclude_case=current)
    CaseFactory.create_batch(8, customer=customer, team=team_a)
    KnownFactFactory.create_batch(6, customer=customer, source_case=current)
    IdentityFactory.create_batch(3, customer=customer)

    with CaptureQueriesContext(connection) as many:
        customer_panel_context(customer, user=agent_ann, exclude_case=current)

    assert len(many) == len(few) + 1  # the "and N more" count, only once there are more
