"""A stranger who knows a customer's phone number or address must not reach their cases.

Each path that brings an email address and a phone number together is tried as an attacker
would: the attacker's identity never reaches the victim's record, the attacker's portal shows
none of the victim's cases, and the agent sees the possible match.
"""

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.api.services import issue_token
from opiekun.cases.models import Case, Channel
from opiekun.cases.services import open_case
from opiekun.channels.email.inbound import Delivery, ingest_many, process_message, store_raw
from opiekun.channels.phone.inbound import handle_telephony_event
from opiekun.channels.visits.models import ServicePoint
from opiekun.channels.web.models import ContactForm
from opiekun.customers.models import Customer, Identity, PossibleMatch
from opiekun.customers.services import find_or_create_customer, merge_customers
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

pytestmark = pytest.mark.django_db

VICTIM_PHONE = "+48600100200"
SECRET = "Reklamacja pralki Wiktorii"


@pytest.fixture(autouse=True)
def _empty_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def victim(team_a: Team) -> Customer:
    customer = CustomerFactory.create(name="Wiktoria Nowak")
    IdentityFactory.create(customer=customer, value="wiktoria@example.pl", is_primary=True)
    IdentityFactory.create(
        customer=customer, kind=Identity.Kind.PHONE, value=VICTIM_PHONE, is_primary=True
    )
    open_case(customer=customer, team=team_a, subject=SECRET, channel=Channel.PHONE)
    return customer


@pytest.fixture
def contact_form(team_a: Team) -> ContactForm:
    return ContactForm.objects.create(
        slug="kontakt", title="Kontakt", team=team_a, fields=[ContactForm.Field.PHONE]
    )


def post_contact_form(*, email: str, phone: str, subject: str) -> Case:
    response = Client().post(
        reverse("web:contact", args=["kontakt"]) + "?language=pl",
        {
            "name": "Ktoś",
            "email": email,
            "phone": phone,
            "subject": subject,
            "message": "Proszę o informację.",
            "website": "",
        },
    )
    assert response.status_code == 200, response.content
    return Case.objects.get(subject=subject)


@pytest.fixture
def portal_as(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> Callable[[str], tuple[Client, str]]:
    """Ask for a sign-in link for an address, use it from the mail, and return the signed-in
    client with the page listing their cases ("" when no link came)."""

    def sign_in(address: str) -> tuple[Client, str]:
        client = Client()
        sent = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("portal:start"), {"email": address})
        return client, _use_link(client, address, sent)

    return sign_in


def _use_link(client: Client, address: str, sent: int) -> str:
    links = [
        re.search(r"/portal/sign-in/(\S+)/", str(message.body))
        for message in mail.outbox[sent:]
        if address in message.to
    ]
    found = [link for link in links if link]
    if not found:
        return ""
    client.post(reverse("portal:sign_in", args=[found[-1].group(1)]))
    return client.get(reverse("portal:cases")).content.decode()


def agent_sees_possible_match(agent: User, case: Case, other: Customer) -> bool:
    client = Client()
    client.force_login(agent)
    page = client.get(reverse("cases:detail", args=[case.number])).content.decode()
    return "Possible match" in page and str(other) in page


def test_web_form_with_the_victims_phone_gets_a_customer_of_its_own(
    victim: Customer,
    contact_form: ContactForm,
    agent_ann: User,
    portal_as: Callable[[str], tuple[Client, str]],
) -> None:
    case = post_contact_form(
        email="attacker@example.com", phone="600 100 200", subject="Pytanie o zamówienie"
    )

    assert list(victim.identities.values_list("value", flat=True)) == [
        "wiktoria@example.pl",
        VICTIM_PHONE,
    ]
    attacker = case.customer
    assert attacker != victim
    identity = attacker.identities.get()
    assert (identity.value, identity.proof, identity.channel) == (
        "attacker@example.com",
        Identity.Proof.GIVEN,
        Channel.WEB,
    )
    match = PossibleMatch.objects.get()
    assert (match.customer, match.candidate, match.value, match.why, match.channel) == (
        attacker,
        victim,
        VICTIM_PHONE,
        PossibleMatch.Why.GIVEN_BESIDE,
        Channel.WEB,
    )
    _client, cases = portal_as("attacker@example.com")
    assert "Pytanie o zamówienie" in cases
    assert SECRET not in cases
    assert agent_sees_possible_match(agent_ann, case, victim)


def test_web_form_with_the_victims_address_and_a_new_phone_does_not_give_her_the_phone(
    victim: Customer, contact_form: ContactForm
) -> None:
    case = post_contact_form(
        email="wiktoria@example.pl", phone="+48 601 999 888", subject="Podszywam się"
    )

    assert victim.identities.count() == 2
    assert case.customer != victim
    assert list(case.customer.identities.values_list("value", flat=True)) == ["+48601999888"]
    assert PossibleMatch.objects.get().candidate == victim


def test_api_case_with_a_new_customer_does_not_join_the_victim(
    victim: Customer, team_a: Team, agent_ann: User, portal_as: Callable[[str], tuple[Client, str]]
) -> None:
    _token, raw = issue_token(agent_ann, name="shop")
    response = Client(headers={"Authorization": f"Bearer {raw}"}).post(
        "/api/v1/cases",
        {
            "customer": {"email": "attacker@example.com", "phone": VICTIM_PHONE, "name": "X"},
            "team": team_a.pk,
            "subject": "Z API",
            "body_text": "Treść",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    case = Case.objects.get(subject="Z API")
    assert victim.identities.count() == 2
    assert case.customer != victim
    assert case.customer.identities.get().channel == Channel.API
    assert PossibleMatch.objects.get().candidate == victim
    _client, cases = portal_as("attacker@example.com")
    assert "Z API" in cases
    assert SECRET not in cases


def test_counter_new_visitor_with_a_known_phone_and_a_new_address(
    victim: Customer, team_a: Team, agent_ann: User
) -> None:
    ServicePoint.objects.create(name="Salon Kraków", slug="krakow", team=team_a)
    client = Client()
    client.force_login(agent_ann)

    response = client.post(
        reverse("visits:new_visitor", args=["krakow"]),
        {"name": "Ktoś", "phone": "600 100 200", "email": "attacker@example.com"},
    )

    visitor = Customer.objects.get(name="Ktoś")
    assert response["Location"] == reverse("visits:visitor", args=["krakow", visitor.pk])
    assert victim.identities.count() == 2
    identity = visitor.identities.get()
    assert (identity.value, identity.proof, identity.proven_by) == (
        "attacker@example.com",
        Identity.Proof.AGENT,
        agent_ann,
    )
    assert identity.reason == "Given in person at Salon Kraków"
    assert PossibleMatch.objects.get().candidate == victim


def test_a_call_from_a_number_someone_typed_beside_their_own_address_is_not_theirs(
    contact_form: ContactForm, team_a: Team, portal_as: Callable[[str], tuple[Client, str]]
) -> None:
    """Pre-claiming: the attacker types a stranger's number before the stranger ever calls."""
    form_case = post_contact_form(
        email="attacker@example.com", phone=VICTIM_PHONE, subject="Wcześniej"
    )
    attacker = form_case.customer
    when = timezone.now()

    for event, at in (("ringing", when), ("answered", when), ("ended", when + timedelta(1))):
        handle_telephony_event(event=event, call_id="c-1", number=VICTIM_PHONE, at=at, team=team_a)

    call_case = Case.objects.exclude(pk=form_case.pk).get()
    caller = call_case.customer
    assert caller != attacker
    phone = caller.identities.get()
    assert (phone.value, phone.proof) == (VICTIM_PHONE, Identity.Proof.CONTACT)
    assert list(attacker.identities.values_list("value", flat=True)) == ["attacker@example.com"]
    match = PossibleMatch.objects.get()
    assert (match.customer, match.candidate, match.why) == (
        caller,
        attacker,
        PossibleMatch.Why.MOVED,
    )
    _client, cases = portal_as("attacker@example.com")
    assert "Wcześniej" in cases
    assert call_case.number not in cases


def test_a_call_from_the_only_number_a_customer_gave_stays_theirs(team_a: Team) -> None:
    given = find_or_create_customer(phone=VICTIM_PHONE, channel=Channel.API)
    when = timezone.now()

    handle_telephony_event(event="ended", call_id="c-2", number=VICTIM_PHONE, at=when, team=team_a)

    assert Case.objects.get().customer == given
    assert given.identities.get().proof == Identity.Proof.CONTACT
    assert not PossibleMatch.objects.exists()


def mail_from(address: str, *, message_id: str, extra: str = "") -> Delivery:
    return Delivery(raw=raw_mail(address, message_id=message_id, extra=extra))


def raw_mail(address: str, *, message_id: str, extra: str = "") -> bytes:
    return (
        f"From: {address}\r\nTo: support@example.com\r\nSubject: Pytanie {message_id}\r\n"
        f"Message-ID: <{message_id}@example.com>\r\n{extra}MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Dzień dobry.\r\n-- \r\nWiktoria Nowak\r\ntel. 600 100 200\r\nwiktoria@example.pl\r\n"
    ).encode()


def test_mail_naming_the_victim_in_headers_and_signature_adds_nothing_to_her(
    victim: Customer, team_a: Team, portal_as: Callable[[str], tuple[Client, str]]
) -> None:
    ingest_many(
        [
            mail_from(
                "attacker@example.com",
                message_id="m1",
                extra="Reply-To: wiktoria@example.pl\r\nCc: wiktoria@example.pl\r\n",
            ),
            mail_from("attacker@example.com", message_id="m2"),
        ],
        team=team_a,
    )

    assert list(victim.identities.values_list("value", flat=True)) == [
        "wiktoria@example.pl",
        VICTIM_PHONE,
    ]
    attacker = Identity.objects.get(value="attacker@example.com").customer
    assert attacker != victim
    assert Case.objects.filter(customer=victim).count() == 1
    _client, cases = portal_as("attacker@example.com")
    assert SECRET not in cases


@pytest.mark.parametrize("path", ["chunk", "one by one"])
def test_mail_from_an_address_someone_typed_beside_their_phone_is_not_theirs(
    path: str, contact_form: ContactForm, team_a: Team
) -> None:
    """Pre-claiming by email: the attacker types the victim's address beside their own phone;
    the victim's mail then goes to a record of its own, not the attacker's."""
    form_case = post_contact_form(
        email="wiktoria@example.pl", phone="+48 601 999 888", subject="Wcześniej"
    )
    attacker = form_case.customer

    if path == "chunk":
        ingest_many(
            [
                mail_from("wiktoria@example.pl", message_id="w1"),
                mail_from("other@example.pl", message_id="o1"),
            ],
            team=team_a,
        )
    else:
        process_message(store_raw(raw_mail("wiktoria@example.pl", message_id="w1"), team=team_a))

    writer = Identity.objects.get(value="wiktoria@example.pl").customer
    assert writer != attacker
    assert Case.objects.get(subject="Pytanie w1").customer == writer
    assert list(attacker.identities.values_list("value", flat=True)) == ["+48601999888"]
    assert PossibleMatch.objects.get().candidate == attacker


def test_mail_from_a_given_address_on_a_record_with_nothing_else_joins_it(
    contact_form: ContactForm, team_a: Team
) -> None:
    form_case = post_contact_form(email="anna@example.pl", phone="", subject="Formularz")

    ingest_many(
        [
            mail_from("anna@example.pl", message_id="a1"),
            mail_from("other@example.pl", message_id="o1"),
        ],
        team=team_a,
    )

    assert Case.objects.get(subject="Pytanie a1").customer == form_case.customer
    assert form_case.customer.identities.get().proof == Identity.Proof.CONTACT
    assert not PossibleMatch.objects.exists()


def test_merging_the_possible_match_is_recorded_with_who_decided_and_ends_portal_sessions(
    victim: Customer,
    contact_form: ContactForm,
    lead_lee: User,
    portal_as: Callable[[str], tuple[Client, str]],
) -> None:
    case = post_contact_form(email="nowy@example.pl", phone=VICTIM_PHONE, subject="To ja")
    newcomer = case.customer
    victim_portal, before = portal_as("wiktoria@example.pl")
    assert SECRET in before

    merge_customers(newcomer, into=victim, by=lead_lee)

    match = PossibleMatch.objects.get()
    assert (match.decision, match.decided_by) == (PossibleMatch.Decision.MERGED, lead_lee)
    newcomer.refresh_from_db()
    assert (newcomer.merged_into, newcomer.merged_by) == (victim, lead_lee)
    after = victim_portal.get(reverse("portal:cases"))
    assert after["Location"] == reverse("portal:start")


def test_an_agent_dismisses_a_possible_match(
    victim: Customer, contact_form: ContactForm, agent_ann: User
) -> None:
    case = post_contact_form(email="attacker@example.com", phone=VICTIM_PHONE, subject="Nie ja")
    match = PossibleMatch.objects.get()
    client = Client()
    client.force_login(agent_ann)

    response = client.post(
        reverse("customers:match_dismiss", args=[victim.pk, match.pk]),
        {"next": case.get_absolute_url()},
    )

    assert response["Location"] == case.get_absolute_url()
    match.refresh_from_db()
    assert (match.decision, match.decided_by) == (PossibleMatch.Decision.DISMISSED, agent_ann)
    assert not agent_sees_possible_match(agent_ann, case, victim)
