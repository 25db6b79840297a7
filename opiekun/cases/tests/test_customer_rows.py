"""Merging customers moves the duplicate's cases and interactions, noting it on each case."""

import pytest

from opiekun.accounts.models import User
from opiekun.cases.models import Case, Event, Interaction
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.customers.services import merge_customers
from opiekun.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_merge_moves_cases_and_interactions_to_the_customer_that_stays(lead_lee: User) -> None:
    into = CustomerFactory.create(name="Jan Kowalski")
    kept = CaseFactory.create(customer=into)
    source = CustomerFactory.create(name="J. Kowalski")
    moved = CaseFactory.create_batch(2, customer=source)
    interactions = InteractionFactory.create_batch(2, case=moved[0], customer=source)

    merge_customers(source, into=into, by=lead_lee)

    assert list(Case.objects.filter(customer=into).order_by("id").values_list("pk", flat=True)) == [
        kept.pk,
        moved[0].pk,
        moved[1].pk,
    ]
    assert list(
        Interaction.objects.filter(customer=into).order_by("id").values_list("pk", flat=True)
    ) == [interaction.pk for interaction in interactions]
    assert Case.objects.filter(customer=source).count() == 0
    assert Interaction.objects.filter(customer=source).count() == 0


def test_merge_notes_the_new_customer_on_each_moved_case(lead_lee: User) -> None:
    into = CustomerFactory.create(name="Jan Kowalski")
    kept = CaseFactory.create(customer=into)
    source = CustomerFactory.create(name="J. Kowalski")
    moved = CaseFactory.create_batch(2, customer=source)

    merge_customers(source, into=into, by=lead_lee)

    events = Event.objects.filter(kind=Event.Kind.CUSTOMER).order_by("case_id")
    assert [(event.case_id, event.actor, event.payload) for event in events] == [
        (
            case.pk,
            lead_lee,
            {
                "before": "J. Kowalski",
                "after": "Jan Kowalski",
                "before_id": source.pk,
                "after_id": into.pk,
            },
        )
        for case in moved
    ]
    assert kept.events.filter(kind=Event.Kind.CUSTOMER).count() == 0
