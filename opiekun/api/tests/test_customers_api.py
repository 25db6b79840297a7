from datetime import datetime, timedelta

from django.utils.dateparse import parse_datetime

from opiekun.accounts.models import Team, User
from opiekun.api.tests.conftest import ClientFor
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.models import Customer, Identity, KnownFact
from opiekun.customers.tests.factories import (
    CustomerFactory,
    IdentityFactory,
    KnownFactFactory,
    OrganisationFactory,
)


def test_search_finds_by_name_email_or_phone(agent_ann: User, client_for: ClientFor) -> None:
    jan = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=jan, value="jan@example.pl")
    IdentityFactory.create(customer=jan, kind=Identity.Kind.PHONE, value="+48600100200")
    CustomerFactory.create(name="Anna Nowak")
    client = client_for(agent_ann)

    by_name = client.get("/api/v1/customers", {"q": "kowal"}).json()
    by_email = client.get("/api/v1/customers", {"q": "JAN@example.pl"}).json()
    by_phone = client.get("/api/v1/customers", {"q": "600 100 200"}).json()

    assert [item["id"] for item in by_name["items"]] == [jan.pk]
    assert [item["id"] for item in by_email["items"]] == [jan.pk]
    assert [item["id"] for item in by_phone["items"]] == [jan.pk]


def test_list_without_query_pages_by_name(agent_ann: User, client_for: ClientFor) -> None:
    for name in ["Celina", "Adam", "Bożena"]:
        CustomerFactory.create(name=name)
    client = client_for(agent_ann)

    first = client.get("/api/v1/customers", {"limit": 2}).json()
    second = client.get("/api/v1/customers", {"limit": 2, "cursor": first["next_cursor"]}).json()

    assert [item["name"] for item in first["items"]] == ["Adam", "Bożena"]
    assert [item["name"] for item in second["items"]] == ["Celina"]
    assert second["next_cursor"] is None


def test_get_customer_shows_identities_primary_first(
    agent_ann: User, client_for: ClientFor
) -> None:
    organisation = OrganisationFactory.create(name="Firma sp. z o.o.")
    customer = CustomerFactory.create(name="Jan", organisation=organisation, notes="VIP")
    phone = IdentityFactory.create(
        customer=customer, kind=Identity.Kind.PHONE, value="+48600100200"
    )
    email = IdentityFactory.create(customer=customer, value="jan@example.pl", is_primary=True)

    response = client_for(agent_ann).get(f"/api/v1/customers/{customer.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["language"], body["notes"], body["organisation"]) == (
        "Jan",
        "pl",
        "VIP",
        {"id": organisation.pk, "name": "Firma sp. z o.o."},
    )
    assert [
        {key: row[key] for key in ("id", "kind", "value", "is_primary", "proof")}
        for row in body["identities"]
    ] == [
        {"id": email.pk, "kind": "email", "value": "jan@example.pl", "is_primary": True,
         "proof": "contact"},
        {"id": phone.pk, "kind": "phone", "value": "+48600100200", "is_primary": False,
         "proof": "contact"},
    ]  # fmt: skip


def test_merged_customer_resolves_to_the_one_it_was_merged_into(
    agent_ann: User, client_for: ClientFor
) -> None:
    survivor = CustomerFactory.create()
    merged = CustomerFactory.create(merged_into=survivor)

    response = client_for(agent_ann).get(f"/api/v1/customers/{merged.pk}")

    assert response.status_code == 200
    assert response.json()["id"] == survivor.pk


def test_unknown_customer_is_404(agent_ann: User, client_for: ClientFor) -> None:
    response = client_for(agent_ann).get("/api/v1/customers/999999")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such customer.", "code": "not_found"}


def test_create_customer_with_identities_and_organisation(
    agent_ann: User, client_for: ClientFor
) -> None:
    response = client_for(agent_ann).post(
        "/api/v1/customers",
        {
            "email": "Ewa@Example.pl",
            "phone": "+372 5123 4567",
            "name": "Ewa",
            "language": "et",
            "organisation": "Firma OÜ",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    customer = Customer.objects.get()
    assert response.json()["id"] == customer.pk
    assert (customer.name, customer.language, str(customer.organisation)) == (
        "Ewa",
        "et",
        "Firma OÜ",
    )
    assert sorted(customer.identities.values_list("value", "is_primary")) == [
        ("+37251234567", True),
        ("ewa@example.pl", True),
    ]


def test_create_customer_whose_email_is_taken_is_409(
    agent_ann: User, client_for: ClientFor
) -> None:
    owner = CustomerFactory.create(name="Jan")
    IdentityFactory.create(customer=owner, value="jan@example.pl")

    response = client_for(agent_ann).post(
        "/api/v1/customers",
        {"name": "Drugi Jan", "email": "JAN@example.pl"},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The email address jan@example.pl already belongs to Jan.",
        "code": "conflict",
    }
    assert Customer.objects.count() == 1


def test_create_customer_with_a_bad_phone_is_422(agent_ann: User, client_for: ClientFor) -> None:
    response = client_for(agent_ann).post(
        "/api/v1/customers", {"name": "X", "phone": "abc"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"
    assert Customer.objects.count() == 0


def test_patch_changes_only_the_given_fields(agent_ann: User, client_for: ClientFor) -> None:
    organisation = OrganisationFactory.create(name="Firma")
    customer = CustomerFactory.create(
        name="Jan", notes="stare", language="pl", organisation=organisation
    )

    response = client_for(agent_ann).patch(
        f"/api/v1/customers/{customer.pk}",
        {"language": "en", "notes": "nowe"},
        content_type="application/json",
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert (customer.name, customer.language, customer.notes, customer.organisation) == (
        "Jan",
        "en",
        "nowe",
        organisation,
    )


def test_add_identity_normalises_it(agent_ann: User, client_for: ClientFor) -> None:
    customer = CustomerFactory.create()
    IdentityFactory.create(
        customer=customer, kind=Identity.Kind.PHONE, value="+48600100200", is_primary=True
    )

    response = client_for(agent_ann).post(
        f"/api/v1/customers/{customer.pk}/identities",
        {"kind": "phone", "value": "601 200 300"},
        content_type="application/json",
    )

    assert response.status_code == 201
    identity = Identity.objects.get(value="+48601200300")
    body = response.json()
    assert abs(_when(body.pop("proven_at")) - identity.proven_at) < timedelta(seconds=1)
    assert body == {
        "id": identity.pk,
        "kind": "phone",
        "value": "+48601200300",
        "is_primary": False,
        "proof": "agent",
    }
    assert (identity.customer, identity.proven_by, identity.reason) == (
        customer,
        agent_ann,
        "Added through the API",
    )


def test_add_identity_of_another_customer_is_409(agent_ann: User, client_for: ClientFor) -> None:
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=CustomerFactory.create(name="Ktoś"), value="zajety@example.pl")

    response = client_for(agent_ann).post(
        f"/api/v1/customers/{customer.pk}/identities",
        {"kind": "email", "value": "Zajety@Example.pl"},
        content_type="application/json",
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "The email address zajety@example.pl already belongs to Ktoś.",
        "code": "conflict",
    }
    assert customer.identities.count() == 0


def test_add_identity_that_is_not_a_phone_is_422(agent_ann: User, client_for: ClientFor) -> None:
    customer = CustomerFactory.create()

    response = client_for(agent_ann).post(
        f"/api/v1/customers/{customer.pk}/identities",
        {"kind": "phone", "value": "abc"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json() == {"detail": "“abc” is not a phone number.", "code": "invalid"}


def test_facts_are_listed_newest_first(agent_ann: User, client_for: ClientFor) -> None:
    customer = CustomerFactory.create()
    older = KnownFactFactory.create(customer=customer, value="ZAM/1")
    newer = KnownFactFactory.create(customer=customer, value="ZAM/2")

    response = client_for(agent_ann).get(f"/api/v1/customers/{customer.pk}/facts")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [newer.pk, older.pk]


def test_add_fact_with_its_source_case(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    customer = CustomerFactory.create()
    case = CaseFactory.create(team=team_a, customer=customer)

    response = client_for(agent_ann).post(
        f"/api/v1/customers/{customer.pk}/facts",
        {"kind": "order", "label": "Zamówienie", "value": "ZAM/123", "source_case": case.number},
        content_type="application/json",
    )

    assert response.status_code == 201
    fact = KnownFact.objects.get()
    assert (fact.kind, fact.value, fact.source_case, fact.created_by) == (
        KnownFact.Kind.ORDER,
        "ZAM/123",
        case,
        agent_ann,
    )
    assert response.json()["source_case"] == case.number


def test_add_fact_citing_a_case_the_user_cannot_see_is_404(
    team_b: Team, agent_ann: User, client_for: ClientFor
) -> None:
    customer = CustomerFactory.create()
    case = CaseFactory.create(team=team_b, customer=customer)

    response = client_for(agent_ann).post(
        f"/api/v1/customers/{customer.pk}/facts",
        {"value": "ZAM/123", "source_case": case.number},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert KnownFact.objects.count() == 0


def _when(text: str) -> datetime:
    parsed = parse_datetime(text)
    assert parsed is not None
    return parsed
