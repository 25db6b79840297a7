"""Acknowledgements: on the timeline, in the customer's language, marked automatic, never to
robots and at most AUTOMATIC_LIMIT an hour to one address, so no mail loop can start."""

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from opiekun.accounts.models import Team
from opiekun.cases.models import Case, Interaction
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.channels.email import outbound
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

if TYPE_CHECKING:
    from opiekun.channels.email.tests.smtp import SmtpServer

pytest_plugins = ["opiekun.channels.email.tests.smtp"]


@pytest.fixture
def shop(team_a: Team) -> Team:
    team_a.email = "obsluga@sklep.pl"
    team_a.signature = "Sklep Żółw"
    team_a.save()
    return team_a


def new_case(team: Team, *, language: str = "pl", address: str = "zofia@example.pl") -> Case:
    customer = CustomerFactory.create(language=language)
    IdentityFactory.create(customer=customer, value=address, is_primary=True)
    return CaseFactory.create(team=team, customer=customer, subject="Zwrot butów - rozmiar 42")


def test_acknowledgement_is_on_the_timeline_and_sent_marked_automatic(
    shop: Team,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = new_case(shop, language="et", address="mari@example.ee")
    InteractionFactory.create(
        case=case, external_id="<uus@example.ee>", started_at=timezone.now() - timedelta(minutes=1)
    )

    with django_capture_on_commit_callbacks(execute=True):
        acknowledgement = outbound.send_acknowledgement(case, to="Mari <Mari@Example.ee>")

    assert acknowledgement is not None
    acknowledgement.refresh_from_db()
    case.refresh_from_db()
    assert (acknowledgement.direction, acknowledgement.delivery_status) == (
        Interaction.Direction.OUTBOUND,
        Interaction.DeliveryStatus.SENT,
    )
    assert acknowledgement.meta == {
        "auto": "acknowledgement",
        "to": "mari@example.ee",
        "delivery_attempts": 1,
    }
    assert case.first_response_at is None
    [received] = smtp_server.received
    message = received.message
    with translation.override("et"):
        expected_subject = gettext("We have received your message: %(subject)s") % {
            "subject": "Zwrot butów - rozmiar 42"
        }
        thanks = gettext(
            "Thank you for your message “%(subject)s”. We have registered it as case %(number)s."
        ) % {"subject": "Zwrot butów - rozmiar 42", "number": case.number}
    assert received.rcpt_tos == ["mari@example.ee"]
    assert message["Subject"] == f"[#{case.number}] {expected_subject}"
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["X-Auto-Response-Suppress"] == "All"
    assert message["In-Reply-To"] == "<uus@example.ee>"
    assert message["Message-ID"] == acknowledgement.external_id
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    assert text_part is not None
    assert html_part is not None
    assert text_part.get_content() == acknowledgement.body_text
    assert thanks in acknowledgement.body_text
    assert acknowledgement.body_text.endswith("-- \nSklep Żółw\n")
    assert '<html lang="et">' in html_part.get_content()


@pytest.mark.parametrize(
    "address",
    [
        "MAILER-DAEMON@example.pl",
        "postmaster@example.pl",
        "noreply@sklep-inny.pl",
        "no-reply@example.ee",
        "powiadomienia-noreply@bank.pl",
        "do-not-reply@example.com",
        "bounces+12345@mailer.example.com",
        "lista-request@lists.example.org",
        "not an address",
        "",
    ],
)
def test_no_acknowledgement_to_addresses_that_look_automatic(
    shop: Team,
    address: str,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = new_case(shop)

    with django_capture_on_commit_callbacks(execute=True):
        acknowledgement = outbound.send_acknowledgement(case, to=address)

    assert acknowledgement is None
    assert not case.interactions.exists()
    assert smtp_server.received == []


@pytest.mark.parametrize(
    "address", ["zofia@example.pl", "Zofia Łęcka <zofia.lecka+zamowienia@example.pl>"]
)
def test_people_may_get_automatic_messages(db: None, address: str) -> None:
    assert outbound.may_send_automatic(address) is True


def test_at_most_three_automatic_messages_an_hour_to_one_address(
    shop: Team,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    cases = [new_case(shop, address=f"zofia{n}@example.pl") for n in range(5)]

    with django_capture_on_commit_callbacks(execute=True):
        sent = [outbound.send_acknowledgement(case, to="zofia@example.pl") for case in cases[:4]]
        other = outbound.send_acknowledgement(cases[4], to="jan@example.pl")

    assert [interaction is not None for interaction in sent] == [True, True, True, False]
    assert not cases[3].interactions.exists()
    assert other is not None
    assert [received.rcpt_tos for received in smtp_server.received] == [
        ["zofia@example.pl"],
        ["zofia@example.pl"],
        ["zofia@example.pl"],
        ["jan@example.pl"],
    ]
    assert outbound.may_send_automatic("ZOFIA@example.pl") is False


def test_automatic_messages_older_than_an_hour_no_longer_count(shop: Team) -> None:
    case = new_case(shop)
    for _n in range(3):
        InteractionFactory.create(
            case=case,
            direction=Interaction.Direction.OUTBOUND,
            meta={"auto": "acknowledgement", "to": "zofia@example.pl"},
            created_at=timezone.now() - outbound.AUTOMATIC_WINDOW - timedelta(minutes=1),
        )
    InteractionFactory.create(
        case=case,
        direction=Interaction.Direction.OUTBOUND,
        meta={"to": "zofia@example.pl"},
    )

    assert outbound.may_send_automatic("zofia@example.pl") is True
