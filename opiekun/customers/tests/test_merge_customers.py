"""Merging a duplicate customer moves everything and loses nothing."""

import pytest

from opiekun.accounts.models import User
from opiekun.cases.models import Case, Event, Interaction
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.customers.models import Customer, Identity, KnownFact
from opiekun.customers.services import MergeRefused, find_or_create_customer, merge_customers
from opiekun.customers.tests.factories import (
    CustomerFactory,
    IdentityFactory,
    KnownFactFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def _counts(customer: Customer) -> tuple[int, int, int, int]:
    return (
        Identity.objects.filter(customer=customer).count(),
        KnownFact.objects.filter(customer=customer).count(),
        Case.objects.filter(customer=customer).count(),
        Interaction.objects.filter(customer=customer).count(),
    )


def test_merge_moves_identities_facts_cases_and_interactions(lead_lee: User) -> None:
    into = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=into, value="jan@example.pl", is_primary=True)
    KnownFactFactory.create(customer=into, value="ZAM/1")
    CaseFactory.create(customer=into)
    source = CustomerFactory.create(name="J. Kowalski")
    IdentityFactory.create(customer=source, value="jk@firma.pl", is_primary=True)
    IdentityFactory.create(customer=source, kind="phone", value="+48600100200", is_primary=True)
    KnownFactFactory.create_batch(2, customer=source)
    moved_cases = CaseFactory.create_batch(2, customer=source)
    InteractionFactory.create_batch(3, case=moved_cases[0], customer=source)
    totals_before = (
        Identity.objects.count(),
        KnownFact.objects.count(),
        Case.objects.count(),
        Interaction.objects.count(),
    )

    result = merge_customers(source, into=into, by=lead_lee)

    assert result == into
    assert _counts(into) == (3, 3, 3, 3)
    assert _counts(source) == (0, 0, 0, 0)
    assert (
        Identity.objects.count(),
        KnownFact.objects.count(),
        Case.objects.count(),
        Interaction.objects.count(),
    ) == totals_before
    source.refresh_from_db()
    assert (source.merged_into, source.merged_by) == (into, lead_lee)
    assert source.merged_at is not None
    assert list(into.identities.values_list("value", "is_primary")) == [
        ("jan@example.pl", True),
        ("jk@firma.pl", False),
        ("+48600100200", True),
    ]


def test_merge_fills_blanks_and_keeps_both_notes(lead_lee: User) -> None:
    organisation = OrganisationFactory.create()
    into = CustomerFactory.create(name="", notes="Calls after 16:00.")
    source = CustomerFactory.create(
        name="Anna Nowak", organisation=organisation, notes="Prefers email."
    )

    merge_customers(source, into=into, by=lead_lee)

    into.refresh_from_db()
    assert (into.name, into.organisation, into.notes) == (
        "Anna Nowak",
        organisation,
        "Calls after 16:00.\n\nPrefers email.",
    )


def test_customers_merged_earlier_into_the_source_now_point_at_the_result(
    lead_lee: User,
) -> None:
    into = CustomerFactory.create()
    source = CustomerFactory.create()
    older = CustomerFactory.create(merged_into=source)

    merge_customers(source, into=into, by=lead_lee)

    older.refresh_from_db()
    assert older.merged_into == into


def test_after_a_merge_the_duplicates_email_finds_the_kept_customer(lead_lee: User) -> None:
    into = CustomerFactory.create()
    source = CustomerFactory.create()
    IdentityFactory.create(customer=source, value="dup@example.pl")
    merge_customers(source, into=into, by=lead_lee)

    assert find_or_create_customer(email="dup@example.pl") == into


def test_merging_into_itself_is_refused_and_changes_nothing(lead_lee: User) -> None:
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=customer)
    CaseFactory.create(customer=customer)

    with pytest.raises(MergeRefused) as raised:
        merge_customers(customer, into=customer, by=lead_lee)

    assert str(raised.value) == "A customer cannot be merged into itself."
    customer.refresh_from_db()
    assert customer.merged_into is None
    assert _counts(customer) == (1, 0, 1, 0)
    assert not Event.objects.filter(kind=Event.Kind.CUSTOMER).exists()


def test_merging_into_a_merged_record_is_refused(lead_lee: User) -> None:
    final = CustomerFactory.create()
    merged = CustomerFactory.create(name="Old Jan", merged_into=final)
    source = CustomerFactory.create()
    CaseFactory.create(customer=source)

    with pytest.raises(MergeRefused) as raised:
        merge_customers(source, into=merged, by=lead_lee)

    assert str(raised.value) == (
        "Old Jan was merged into another customer; merge into that one instead."
    )
    source.refresh_from_db()
    assert source.merged_into is None
    assert _counts(source) == (0, 0, 1, 0)


def test_merging_the_same_duplicate_twice_is_refused_the_second_time(lead_lee: User) -> None:
    into = CustomerFactory.create()
    other = CustomerFactory.create()
    source = CustomerFactory.create(name="Dup")
    CaseFactory.create(customer=source)
    merge_customers(source, into=into, by=lead_lee)
    counts = (_counts(into), _counts(other))
    events = Event.objects.count()

    for target in (into, other):
        with pytest.raises(MergeRefused) as raised:
            merge_customers(source, into=target, by=lead_lee)
        assert str(raised.value) == "Dup was already merged into another customer."

    source.refresh_from_db()
    assert source.merged_into == into
    assert (_counts(into), _counts(other)) == counts
    assert Event.objects.count() == events
