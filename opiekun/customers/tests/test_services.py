"""Changing customers: identities, known facts, creating and editing."""

import pytest

from opiekun.accounts.models import User
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.models import Customer, Identity, KnownFact, Organisation
from opiekun.customers.services import (
    IdentityTaken,
    InvalidIdentity,
    add_identity,
    add_known_fact,
    create_customer,
    find_or_create_customer,
    remove_identity,
    remove_known_fact,
    update_customer,
)
from opiekun.customers.tests.factories import (
    CustomerFactory,
    IdentityFactory,
    KnownFactFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def test_add_identity_stores_the_normalised_phone_number(agent_ann: User) -> None:
    customer = CustomerFactory.create()

    identity = add_identity(
        customer,
        kind=Identity.Kind.PHONE,
        value="600 100 200",
        by=agent_ann,
        reason="Read back to the customer",
    )

    assert (identity.customer_id, identity.kind, identity.value, identity.is_primary) == (
        customer.pk,
        "phone",
        "+48600100200",
        True,
    )


def test_second_identity_of_a_kind_is_not_primary(agent_ann: User) -> None:
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=customer, value="jan@example.pl", is_primary=True)

    identity = add_identity(
        customer,
        kind=Identity.Kind.EMAIL,
        value="Jan.K@Example.pl",
        by=agent_ann,
        reason="Read back to the customer",
    )

    assert (identity.value, identity.is_primary) == ("jan.k@example.pl", False)


def test_identity_of_another_customer_is_refused_naming_the_owner(agent_ann: User) -> None:
    owner = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=owner, kind=Identity.Kind.PHONE, value="+48600100200")
    customer = CustomerFactory.create(name="Anna Nowak")

    with pytest.raises(IdentityTaken) as raised:
        add_identity(
            customer,
            kind=Identity.Kind.PHONE,
            value="+48 600-100-200",
            by=agent_ann,
            reason="Read back to the customer",
        )

    assert str(raised.value) == "The phone number +48600100200 already belongs to Jan Kowalski."
    assert raised.value.owner == owner
    assert list(customer.identities.all()) == []


def test_email_already_on_the_same_customer_is_refused(agent_ann: User) -> None:
    customer = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=customer, value="jan@example.pl")

    with pytest.raises(IdentityTaken) as raised:
        add_identity(
            customer,
            kind=Identity.Kind.EMAIL,
            value="JAN@example.pl",
            by=agent_ann,
            reason="Read back to the customer",
        )

    assert str(raised.value) == "jan@example.pl is already one of this customer's email addresses."
    assert customer.identities.count() == 1


def test_invalid_identity_is_refused(agent_ann: User) -> None:
    customer = CustomerFactory.create()

    with pytest.raises(InvalidIdentity):
        add_identity(
            customer,
            kind=Identity.Kind.PHONE,
            value="not a number",
            by=agent_ann,
            reason="Read back to the customer",
        )

    assert customer.identities.count() == 0


def test_removing_the_primary_identity_makes_the_next_one_primary() -> None:
    customer = CustomerFactory.create()
    first = IdentityFactory.create(customer=customer, value="a@example.pl", is_primary=True)
    second = IdentityFactory.create(customer=customer, value="b@example.pl")
    IdentityFactory.create(customer=customer, kind="phone", value="+48600100200", is_primary=True)

    remove_identity(first)

    assert list(customer.identities.values_list("value", "is_primary")) == [
        ("b@example.pl", True),
        ("+48600100200", True),
    ]
    second.refresh_from_db()
    assert second.is_primary is True


def test_create_customer_with_identities_and_a_new_organisation() -> None:
    customer = create_customer(
        name=" Mari Tamm ",
        language="et",
        organisation_name="Tamm  OÜ",
        notes="Prefers email.",
        email="Mari@Tamm.ee",
        phone="+372 5123 4567",
    )

    assert (customer.name, customer.language, customer.notes) == (
        "Mari Tamm",
        "et",
        "Prefers email.",
    )
    assert customer.organisation is not None
    assert customer.organisation.name == "Tamm OÜ"
    assert list(customer.identities.values_list("kind", "value", "is_primary")) == [
        ("email", "mari@tamm.ee", True),
        ("phone", "+37251234567", True),
    ]


def test_create_customer_reuses_an_organisation_by_name_in_any_case() -> None:
    organisation = OrganisationFactory.create(name="Firma Sp. z o.o.")

    customer = create_customer(name="Jan", organisation_name="firma sp. z o.o.")

    assert customer.organisation == organisation
    assert Organisation.objects.count() == 1


def test_create_customer_with_a_taken_email_creates_nothing() -> None:
    owner = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=owner, value="jan@example.pl")

    with pytest.raises(IdentityTaken) as raised:
        create_customer(name="Jan K.", email="jan@example.pl", phone="600 100 200")

    assert str(raised.value) == "The email address jan@example.pl already belongs to Jan Kowalski."
    assert raised.value.kind == "email"
    assert Customer.objects.count() == 1
    assert Identity.objects.count() == 1


def test_update_customer_changes_details_and_clears_the_organisation() -> None:
    customer = CustomerFactory.create(organisation=OrganisationFactory.create())

    update_customer(customer, name="Anna Nowak", language="en", organisation_name="", notes="VIP")

    customer.refresh_from_db()
    assert (customer.name, customer.language, customer.organisation, customer.notes) == (
        "Anna Nowak",
        "en",
        None,
        "VIP",
    )


def test_add_known_fact_remembers_its_source(agent_ann: User) -> None:
    case = CaseFactory.create()

    fact = add_known_fact(
        case.customer,
        kind=KnownFact.Kind.ORDER,
        label=" Order ",
        value=" ZAM/2026/001 ",
        source="told by phone to Ann",
        source_case_id=case.pk,
        by=agent_ann,
    )

    fact.refresh_from_db()
    assert (fact.customer, fact.kind, fact.label, fact.value, fact.source) == (
        case.customer,
        "order",
        "Order",
        "ZAM/2026/001",
        "told by phone to Ann",
    )
    assert (fact.source_case, fact.created_by) == (case, agent_ann)


def test_remove_known_fact() -> None:
    fact = KnownFactFactory.create()
    kept = KnownFactFactory.create(customer=fact.customer)

    remove_known_fact(fact)

    assert list(KnownFact.objects.all()) == [kept]


def test_find_or_create_follows_a_merged_customer() -> None:
    kept = CustomerFactory.create()
    merged = CustomerFactory.create(merged_into=kept)
    IdentityFactory.create(customer=merged, value="old@example.pl")

    found = find_or_create_customer(email="OLD@example.pl")

    assert found == kept
