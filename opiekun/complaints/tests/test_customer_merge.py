"""Complaints hold no customer of their own: they follow their case when customers merge."""

import pytest

from opiekun.accounts.models import Team, User
from opiekun.complaints.models import Complaint
from opiekun.complaints.tests.test_workflow import complaint_for
from opiekun.customers.services import merge_customers
from opiekun.customers.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_a_complaint_belongs_to_the_customer_its_case_was_merged_into(
    team_a: Team, agent_ann: User, lead_lee: User
) -> None:
    complaint = complaint_for(team_a, agent_ann)
    source = complaint.case.customer
    into = CustomerFactory.create()

    merge_customers(source, into=into, by=lead_lee)

    assert list(Complaint.objects.filter(case__customer=into)) == [complaint]
    assert not Complaint.objects.filter(case__customer=source).exists()
