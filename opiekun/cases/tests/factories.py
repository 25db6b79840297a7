import factory
from factory.django import DjangoModelFactory

from opiekun.accounts.tests.factories import TeamFactory
from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.services import next_case_number
from opiekun.customers.tests.factories import CustomerFactory


class CaseFactory(DjangoModelFactory[Case]):
    class Meta:
        model = Case

    number = factory.LazyFunction(next_case_number)
    subject = factory.Sequence(lambda n: f"Pytanie o zamówienie {n}")
    channel = Channel.EMAIL
    team = factory.SubFactory(TeamFactory)
    customer = factory.SubFactory(CustomerFactory)
    language = "pl"


class InteractionFactory(DjangoModelFactory[Interaction]):
    class Meta:
        model = Interaction

    case = factory.SubFactory(CaseFactory)
    channel = Channel.EMAIL
    direction = Interaction.Direction.INBOUND
    body_text = "Dzień dobry, gdzie jest moja paczka?"
