from datetime import UTC, datetime

import pytest

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Event, Interaction
from opiekun.cases.services import (
    CustomerMessage,
    NewCase,
    next_case_number,
    open_case,
    open_cases,
)
from opiekun.customers.tests.factories import CustomerFactory
from opiekun.sla.models import SlaTarget


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


def test_open_cases_opens_many_with_their_messages_in_order(team_a: Team) -> None:
    jan, mari = CustomerFactory.create(language="pl"), CustomerFactory.create(language="et")
    new_year = datetime(2026, 12, 31, 22, 59, tzinfo=UTC)  # 23:59 in Warsaw
    after = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already 2027 in Warsaw
    message = CustomerMessage(
        channel=Channel.EMAIL, body_text="Pralka nie działa", external_id="<m1@x>"
    )

    opened = open_cases(
        [
            NewCase(
                customer=jan,
                team=team_a,
                subject="Pralka",
                channel=Channel.EMAIL,
                when=new_year,
                message=message,
            ),
            NewCase(customer=mari, team=team_a, subject="Arve", channel=Channel.WEB, when=after),
            NewCase(
                customer=jan, team=team_a, subject="Lodówka", channel=Channel.EMAIL, when=new_year
            ),
        ]
    )

    assert [o.case.number for o in opened] == ["2026-000001", "2027-000001", "2026-000002"]
    assert [o.case.language for o in opened] == ["pl", "et", "pl"]
    first = opened[0].interaction
    assert first is not None
    assert opened[1].interaction is None
    assert (first.case, first.customer, first.body_text, first.started_at) == (
        opened[0].case,
        jan,
        "Pralka nie działa",
        new_year,
    )
    assert first.direction == Interaction.Direction.INBOUND
    assert Event.objects.filter(kind=Event.Kind.CREATED).count() == 3
    # Each case's clocks started at its own opening (the default policy covers email and web).
    for item, when in zip(opened, [new_year, after, new_year], strict=True):
        assert sorted(item.case.sla_targets.values_list("kind", "started_at")) == [
            (SlaTarget.Kind.FIRST_RESPONSE, when),
            (SlaTarget.Kind.RESOLUTION, when),
        ]
