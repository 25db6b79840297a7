import factory
from factory.django import DjangoModelFactory

from opiekun.customers.models import Customer, Identity, KnownFact, Organisation


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Firma {n} sp. z o.o.")


class CustomerFactory(DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    name = factory.Sequence(lambda n: f"Klient {n}")
    language = "pl"


class IdentityFactory(DjangoModelFactory[Identity]):
    class Meta:
        model = Identity

    customer = factory.SubFactory(CustomerFactory)
    kind = Identity.Kind.EMAIL
    value = factory.Sequence(lambda n: f"klient{n}@example.pl")
    proof = Identity.Proof.CONTACT


class KnownFactFactory(DjangoModelFactory[KnownFact]):
    class Meta:
        model = KnownFact

    customer = factory.SubFactory(CustomerFactory)
    kind = KnownFact.Kind.ORDER
    value = factory.Sequence(lambda n: f"ZAM/{n:05d}")
