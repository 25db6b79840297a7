"""Merging customers moves the duplicate's phone calls and call-back requests."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from opiekun.accounts.models import Team, User
from opiekun.channels.phone.models import CallbackRequest, PhoneCall
from opiekun.customers.services import merge_customers
from opiekun.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")
MORNING = datetime(2026, 11, 23, 9, 0, tzinfo=WARSAW)


def test_merge_moves_calls_and_callbacks_to_the_customer_that_stays(
    lead_lee: User, team_a: Team
) -> None:
    into = CustomerFactory.create()
    source = CustomerFactory.create()
    PhoneCall.objects.create(call_id="c1", number="+48600100100", customer=into, rang_at=MORNING)
    PhoneCall.objects.create(call_id="c2", number="+48600100200", customer=source, rang_at=MORNING)
    PhoneCall.objects.create(call_id="c3", number="+48600100200", customer=source, rang_at=MORNING)
    CallbackRequest.objects.create(
        customer=source, team=team_a, number="+48600100200", due_at=MORNING, reason="Faktura"
    )

    merge_customers(source, into=into, by=lead_lee)

    assert list(
        PhoneCall.objects.filter(customer=into)
        .order_by("call_id")
        .values_list("call_id", flat=True)
    ) == ["c1", "c2", "c3"]
    assert list(CallbackRequest.objects.filter(customer=into).values_list("number", "reason")) == [
        ("+48600100200", "Faktura")
    ]
    assert PhoneCall.objects.filter(customer=source).count() == 0
    assert CallbackRequest.objects.filter(customer=source).count() == 0
