"""Every channel brings its contacts in through `bring_in`: a rule plugged into
"message_received" sees the customer's first message of a case and the later ones alike,
whichever channel they came by."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.api.services import issue_token
from opiekun.cases.models import Case, Interaction
from opiekun.channels.email.inbound import Delivery, ingest_many, process_message, store_raw
from opiekun.channels.phone.inbound import log_call
from opiekun.channels.phone.models import Outcome
from opiekun.channels.visits.inbound import log_visit
from opiekun.channels.visits.models import ServicePoint
from opiekun.channels.web.models import ContactForm
from opiekun.core.plugins import plugged
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory
from opiekun.portal.services import reply_from_portal

pytestmark = pytest.mark.django_db

SEEN: list[tuple[str, str, bool]] = []


def record(messages: list[Interaction]) -> None:
    """The probe rule: (channel, case number, whether the message opened its case)."""
    for message in messages:
        first = not message.case.interactions.filter(started_at__lt=message.started_at).exists()
        SEEN.append((message.channel, message.case.number, first))


@pytest.fixture(autouse=True)
def probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str, bool]]]:
    config = apps.get_app_config("cases")
    plugs = {**config.plugs, "message_received": [f"{__name__}.record"]}  # type: ignore[attr-defined]
    monkeypatch.setattr(config, "plugs", plugs, raising=False)
    plugged.cache_clear()
    SEEN.clear()
    cache.clear()
    yield SEEN
    plugged.cache_clear()


def mail(*, subject: str, message_id: str) -> Delivery:
    return Delivery(
        raw=(
            f"From: Jan <jan@example.pl>\r\nTo: support@example.com\r\nSubject: {subject}\r\n"
            f"Message-ID: <{message_id}@example.pl>\r\nContent-Type: text/plain; charset=utf-8"
            "\r\n\r\nDzień dobry."
        ).encode()
    )


def test_email_first_and_later_messages_in_a_chunk_and_one_by_one(team_a: Team) -> None:
    ingest_many([mail(subject="Pralka", message_id="m1"), mail(subject="Inne", message_id="m2")])
    case = Case.objects.get(subject="Pralka")
    ingest_many(
        [mail(subject=f"Re: [#{case.number}] Pralka", message_id="m3"),
         mail(subject="Trzecie", message_id="m4")]
    )  # fmt: skip
    process_message(store_raw(mail(subject=f"Re: [#{case.number}]", message_id="m5").raw))

    mine = [entry for entry in SEEN if entry[1] == case.number]
    assert mine == [("email", case.number, True), ("email", case.number, False),
                    ("email", case.number, False)]  # fmt: skip
    assert len(SEEN) == 5


def test_web_form_first_message_and_a_portal_reply(team_a: Team) -> None:
    ContactForm.objects.create(slug="kontakt", title="Kontakt", team=team_a)
    Client().post(
        reverse("web:contact", args=["kontakt"]),
        {"name": "Anna", "email": "anna@example.pl", "subject": "Paczka", "message": "Gdzie?",
         "website": ""},
    )  # fmt: skip
    case = Case.objects.get()

    reply_from_portal(case, customer=case.customer, body_text="Nadal czekam.")

    assert [("web", case.number, True), ("portal", case.number, False)] == SEEN


def test_phone_first_call_and_a_later_one(team_a: Team, agent_ann: User) -> None:
    start = timezone.now() - timedelta(hours=1)
    first = log_call(
        number="600100200", direction="inbound", team=team_a, by=agent_ann, started_at=start,
        ended_at=start + timedelta(minutes=3), outcome=Outcome.ANSWERED,
    )  # fmt: skip
    log_call(
        number="600100200", direction="inbound", team=team_a, by=agent_ann,
        started_at=start + timedelta(minutes=30), ended_at=start + timedelta(minutes=31),
        outcome=Outcome.ANSWERED, case=first.case,
    )  # fmt: skip

    number = first.case.number
    assert [("phone", number, True), ("phone", number, False)] == SEEN


def test_a_visit_that_opens_a_case_and_a_later_one(team_a: Team, agent_ann: User) -> None:
    point = ServicePoint.objects.create(name="Salon", slug="salon", team=team_a)
    customer = CustomerFactory.create()
    start = timezone.now() - timedelta(hours=1)
    first = log_visit(
        point=point, customer=customer, by=agent_ann, reason="Zwrot", outcome="resolved",
        started_at=start, ended_at=start + timedelta(minutes=5),
    )  # fmt: skip
    log_visit(
        point=point, customer=customer, by=agent_ann, reason="Zwrot", outcome="resolved",
        started_at=start + timedelta(minutes=20), case=first.case,
    )  # fmt: skip

    number = first.case.number
    assert [("visit", number, True), ("visit", number, False)] == SEEN


def test_api_case_and_a_later_message_logged_by_an_integration(
    team_a: Team, agent_ann: User
) -> None:
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    _token, raw = issue_token(agent_ann, name="shop")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    created = client.post(
        "/api/v1/cases",
        {"customer": customer.pk, "team": team_a.pk, "subject": "Z API", "body_text": "Treść"},
        content_type="application/json",
    ).json()
    client.post(
        f"/api/v1/cases/{created['number']}/interactions",
        {"type": "inbound", "body_text": "Dopisek"},
        content_type="application/json",
    )

    number = created["number"]
    assert [("api", number, True), ("api", number, False)] == SEEN
