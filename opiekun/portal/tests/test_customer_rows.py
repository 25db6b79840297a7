"""Merging customers moves the duplicate's portal sign-in links."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opiekun.accounts.models import User
from opiekun.customers.services import merge_customers
from opiekun.customers.tests.factories import CustomerFactory
from opiekun.portal.models import SignInLink

pytestmark = pytest.mark.django_db


def test_merge_moves_sign_in_links_to_the_customer_that_stays(lead_lee: User) -> None:
    into = CustomerFactory.create()
    source = CustomerFactory.create()
    expires_at = timezone.now() + timedelta(minutes=15)
    SignInLink.objects.create(
        customer=into, email="jan@example.pl", digest="a" * 64, expires_at=expires_at
    )
    SignInLink.objects.create(
        customer=source, email="jk@firma.pl", digest="b" * 64, expires_at=expires_at
    )

    merge_customers(source, into=into, by=lead_lee)

    assert list(
        SignInLink.objects.filter(customer=into).order_by("email").values_list("email", "digest")
    ) == [("jan@example.pl", "a" * 64), ("jk@firma.pl", "b" * 64)]
    assert SignInLink.objects.filter(customer=source).count() == 0
