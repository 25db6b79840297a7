"""How each identity was established, how agents prove one, and the review of those attached
without proof before proofs were kept."""

import importlib
import io
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Channel
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.models import Customer, Identity, PossibleMatch
from opiekun.customers.services import (
    InvalidIdentity,
    add_identity,
    create_customer,
    find_or_create_customer,
)
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

pytestmark = pytest.mark.django_db

classify = importlib.import_module(
    "opiekun.customers.migrations.0004_classify_existing_identities"
).classify


def test_an_agent_adding_an_identity_must_say_how_they_checked_it(agent_ann: User) -> None:
    customer = CustomerFactory.create()

    with pytest.raises(InvalidIdentity):
        add_identity(
            customer, kind=Identity.Kind.PHONE, value="600 100 200", by=agent_ann, reason=" "
        )

    assert not customer.identities.exists()


def test_a_record_an_agent_creates_holds_identities_proven_by_that_agent(agent_ann: User) -> None:
    customer = create_customer(
        name="Jan", email="jan@example.pl", phone="600 100 200", by=agent_ann
    )

    assert list(customer.identities.values_list("proof", "proven_by")) == [
        (Identity.Proof.AGENT, agent_ann.pk),
        (Identity.Proof.AGENT, agent_ann.pk),
    ]


def test_identities_that_name_two_customers_stay_with_the_first_and_flag_the_other() -> None:
    anna = CustomerFactory.create(name="Anna")
    IdentityFactory.create(customer=anna, value="anna@example.pl")
    jan = CustomerFactory.create(name="Jan")
    IdentityFactory.create(customer=jan, kind=Identity.Kind.PHONE, value="+48600100200")

    found = find_or_create_customer(email="anna@example.pl", phone="600100200", channel="web")

    assert found == anna
    assert anna.identities.count() == jan.identities.count() == 1
    match = PossibleMatch.objects.get()
    assert (match.customer, match.candidate, match.value) == (anna, jan, "+48600100200")


def test_a_contact_naming_only_identities_of_one_customer_joins_them_without_a_flag() -> None:
    anna = CustomerFactory.create(name="Anna")
    IdentityFactory.create(customer=anna, value="anna@example.pl")
    IdentityFactory.create(customer=anna, kind=Identity.Kind.PHONE, value="+48600100200")

    found = find_or_create_customer(email="anna@example.pl", phone="+48 600 100 200")

    assert found == anna
    assert not PossibleMatch.objects.exists()


def test_existing_identities_are_classified_founding_or_unproven() -> None:
    victim = CustomerFactory.create()
    founding = IdentityFactory.create(customer=victim, kind="phone", value="+48600100200")
    attached = IdentityFactory.create(customer=victim, value="attacker@example.com")
    Identity.objects.filter(pk=attached.pk).update(created_at=victim.created_at + timedelta(days=3))

    classify(apps, None)

    founding.refresh_from_db()
    attached.refresh_from_db()
    assert (founding.proof, founding.proven_at) == (Identity.Proof.EARLIER, founding.created_at)
    assert (attached.proof, attached.proven_at) == (Identity.Proof.UNPROVEN, attached.created_at)


def test_unproven_identities_are_listed_with_the_case_and_channel_that_attached_them(
    team_a: Team,
) -> None:
    victim = CustomerFactory.create(name="Wiktoria")
    IdentityFactory.create(customer=victim, value="wiktoria@example.pl")
    attached = IdentityFactory.create(
        customer=victim, value="attacker@example.com", proof=Identity.Proof.UNPROVEN
    )
    CaseFactory.create(customer=victim, team=team_a, channel=Channel.EMAIL)
    case = CaseFactory.create(customer=victim, team=team_a, channel=Channel.WEB)
    type(case).objects.filter(pk=case.pk).update(created_at=attached.created_at)
    out, err = io.StringIO(), io.StringIO()

    call_command("unproven_identities", "--json", stdout=out, stderr=err)

    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows == [
        {
            "identity": attached.pk,
            "kind": "email",
            "value": "attacker@example.com",
            "proof": "unproven",
            "customer": victim.pk,
            "customer_name": "Wiktoria",
            "added": attached.created_at.isoformat(),
            "case": case.number,
            "channel": "web",
        }
    ]
    assert err.getvalue() == "1 identity to review; see docs/privacy.md.\n"


def test_the_review_lists_given_identities_only_when_asked() -> None:
    IdentityFactory.create(value="given@example.pl", proof=Identity.Proof.GIVEN)
    plain, given = io.StringIO(), io.StringIO()

    call_command("unproven_identities", stdout=plain, stderr=io.StringIO())
    call_command("unproven_identities", "--given", stdout=given, stderr=io.StringIO())

    assert "given@example.pl" not in plain.getvalue()
    assert "given@example.pl" in given.getvalue()
    assert plain.getvalue().splitlines()[0].split("\t")[:3] == ["identity", "kind", "value"]


def test_an_agent_confirms_an_unproven_identity_saying_how(agent_ann: User) -> None:
    identity = IdentityFactory.create(value="jan@example.pl", proof=Identity.Proof.UNPROVEN)
    client = Client()
    client.force_login(agent_ann)
    url = reverse("customers:identity_confirm", args=[identity.customer_id, identity.pk])

    refused = client.post(url, {"reason": ""})
    unchanged = Identity.objects.get(pk=identity.pk).proof
    client.post(url, {"reason": "Customer read the code we sent there"})

    identity.refresh_from_db()
    assert refused.status_code == 302
    assert unchanged == Identity.Proof.UNPROVEN
    assert (identity.proof, identity.proven_by, identity.reason) == (
        Identity.Proof.AGENT,
        agent_ann,
        "Customer read the code we sent there",
    )


def test_an_agent_moves_an_identity_that_is_not_the_customers_to_a_record_of_its_own(
    agent_ann: User,
) -> None:
    victim = CustomerFactory.create(name="Wiktoria")
    IdentityFactory.create(customer=victim, value="wiktoria@example.pl", is_primary=True)
    stranger = IdentityFactory.create(
        customer=victim, kind="phone", value="+48600100200", proof=Identity.Proof.UNPROVEN
    )
    version = victim.identity_version
    client = Client()
    client.force_login(agent_ann)

    response = client.post(reverse("customers:identity_detach", args=[victim.pk, stranger.pk]))

    stranger.refresh_from_db()
    moved = Customer.objects.get(pk=stranger.customer_id)
    victim.refresh_from_db()
    assert response["Location"] == reverse("customers:detail", args=[moved.pk])
    assert moved != victim
    assert stranger.proof == Identity.Proof.UNPROVEN
    assert victim.identity_version == version + 1
    match = PossibleMatch.objects.get()
    assert (match.customer, match.candidate, match.why) == (moved, victim, "moved")
    page = client.get(reverse("customers:detail", args=[victim.pk])).content.decode()
    assert "Possible match" in page
