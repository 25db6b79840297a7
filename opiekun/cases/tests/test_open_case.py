from datetime import UTC, datetime

import pytest

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Event
from opiekun.cases.services import next_case_number, open_case
from opiekun.customers.tests.factories import CustomerFactory


@pytest.mark.django_db
def test_case_numbers_count_up_within_a_year_and_restart_in_the_next() -> None:
    assert next_case_number(datetime(2026, 5, 1, 12, tzinfo=UTC)) == "2026-000001"
    assert next_case_number(datetime(2026, 5, 2, 12, tzinfo=UTC)) == "2026-000002"
    assert next_case_number(datetime(2027, 1, 2, 12, tzinfo=UTC)) == "2027-000001"


def test_open_case_records_who_opened_it(team_a: Team, agent_ann: User) -> None:
    customer = CustomerFactory.create(language="et")

    case = open_case(
        customer=customer, team=team_a, subject="Arve küsimus", channel=Channel.PHONE, by=agent_ann
    )

    assert case.status == Case.Status.NEW
    assert case.language == "et"
    event = Event.objects.get(case=case)
    assert (event.kind, event.actor, event.payload) == (
        Event.Kind.CREATED,
        agent_ann,
        {"channel": "phone"},
    )
