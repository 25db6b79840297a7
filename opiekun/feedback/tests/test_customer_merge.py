"""Goodwill gestures hold no customer of their own: they follow their case when customers
merge, so the customer's ledger stays whole."""

from decimal import Decimal

import pytest

from opiekun.accounts.models import Team, User
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.services import merge_customers
from opiekun.customers.tests.factories import CustomerFactory
from opiekun.feedback.models import GoodwillGesture
from opiekun.feedback.services import grant_gesture

pytestmark = pytest.mark.django_db


def test_gestures_belong_to_the_customer_their_case_was_merged_into(
    team_a: Team, agent_ann: User, lead_lee: User
) -> None:
    source = CustomerFactory.create()
    into = CustomerFactory.create()
    gesture = grant_gesture(
        CaseFactory.create(team=team_a, customer=source), kind="voucher", value=Decimal("50"),
        reason="Opóźniona dostawa", by=agent_ann,
    )  # fmt: skip

    merge_customers(source, into=into, by=lead_lee)

    assert list(GoodwillGesture.objects.filter(case__customer=into)) == [gesture]
    assert not GoodwillGesture.objects.filter(case__customer=source).exists()
