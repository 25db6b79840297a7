"""Replies leave over real SMTP with our Message-ID, threading, the case number, both parts,
attachments and the team's signature, in the customer's language."""

import re
from datetime import timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.services import add_reply, store_attachment
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.channels.email import outbound
from opiekun.channels.email.threading import reply_address_for
from opiekun.customers.models import Customer
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

if TYPE_CHECKING:
    from opiekun.channels.email.tests.smtp import SmtpServer

pytest_plugins = ["opiekun.channels.email.tests.smtp"]


@pytest.fixture
def shop(team_a: Team) -> Team:
    team_a.email = "obsluga@sklep.pl"
    team_a.signature = "Zespół Obsługi Klienta\nSklep Żółw"
    team_a.save()
    return team_a


def customer_with_email(language: str, address: str, name: str = "Zofia Łęcka") -> Customer:
    customer = CustomerFactory.create(name=name, language=language)
    IdentityFactory.create(customer=customer, value=address, is_primary=True)
    return customer


def footer(language: str, number: str) -> str:
    with translation.override(language):
        return gettext(
            "Case number: %(number)s. To add to this case, reply to this message and keep "
            "[#%(number)s] in the subject."
        ) % {"number": number}


def parts(message: EmailMessage) -> list[str]:
    return [part.get_content_type() for part in message.walk()]


def test_reply_goes_out_with_our_message_id_threading_and_case_number(
    shop: Team,
    agent_ann: User,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    customer = customer_with_email("pl", "zofia@example.pl")
    case = CaseFactory.create(team=shop, customer=customer, subject="Reklamacja: zły rozmiar")
    InteractionFactory.create(
        case=case,
        customer=customer,
        external_id="<pytanie-1@example.pl>",
        started_at=timezone.now() - timedelta(hours=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        reply = add_reply(case, by=agent_ann, body_text="Dzień dobry,\nwymienimy buty.")

    reply.refresh_from_db()
    assert reply.delivery_status == Interaction.DeliveryStatus.SENT
    assert reply.sent_at is not None
    assert re.fullmatch(
        rf"<opiekun\.{case.number}\.{reply.pk}\.[0-9a-f]{{8}}\.[0-9a-f]{{16}}@sklep\.pl>",
        reply.external_id,
    )
    [received] = smtp_server.received
    assert (received.mail_from, received.rcpt_tos) == ("obsluga@sklep.pl", ["zofia@example.pl"])
    message = received.message
    assert message["Message-ID"] == reply.external_id
    assert message["In-Reply-To"] == "<pytanie-1@example.pl>"
    assert message["References"] == "<pytanie-1@example.pl>"
    assert message["Subject"] == f"[#{case.number}] Reklamacja: zły rozmiar"
    assert message["From"] == "Team A <obsluga@sklep.pl>"
    assert message["To"] == "zofia@example.pl"
    assert message["Reply-To"] == f"Team A <{reply_address_for(case)}>"
    assert message["Auto-Submitted"] is None
    assert parts(message) == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html"]


def test_reply_has_text_and_html_parts_with_signature_in_the_customers_language(
    shop: Team,
    agent_ann: User,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    customer = customer_with_email("et", "mari@example.ee", name="Mari Õunapuu")
    case = CaseFactory.create(team=shop, customer=customer, subject="Arve küsimus - šokolaad")

    with django_capture_on_commit_callbacks(execute=True):
        add_reply(case, by=agent_ann, body_text="Tere!\nArve <2026> & tasumine on korras.")

    [received] = smtp_server.received
    raw_subject = re.search(rb"^Subject: (.*(?:\r\n[ \t].*)*)", received.raw, re.MULTILINE)
    assert raw_subject is not None
    assert b"=?utf-8?" in raw_subject.group(1)
    message = received.message
    assert message["Subject"] == f"[#{case.number}] Arve küsimus - šokolaad"
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    assert text_part is not None
    assert html_part is not None
    assert text_part.get_content() == (
        "Tere!\nArve <2026> & tasumine on korras.\n\n-- \nZespół Obsługi Klienta\nSklep Żółw\n\n"
        f"{footer('et', case.number)}\n"
    )
    html = html_part.get_content()
    assert '<html lang="et">' in html
    assert "<div>Tere!<br>Arve &lt;2026&gt; &amp; tasumine on korras.</div>" in html
    assert "<p>-- <br>Zespół Obsługi Klienta<br>Sklep Żółw</p>" in html
    assert f"<p><small>{footer('et', case.number)}</small></p>" in html


def test_reply_html_comes_from_body_html_and_carries_attachments_and_inline_images(
    shop: Team,
    agent_ann: User,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    customer = customer_with_email("pl", "zofia@example.pl")
    case = CaseFactory.create(team=shop, customer=customer, subject="Faktura")
    invoice = b"%PDF-1.4\n\x00\xff\xfe binary \r\n end"
    logo = b"\x89PNG\r\n\x1a\n\x00\x00 logo"

    with django_capture_on_commit_callbacks(execute=True):
        reply = add_reply(
            case,
            by=agent_ann,
            body_text="W załączniku faktura.",
            body_html='<p>W załączniku <b>faktura</b>.</p><img src="cid:logo@sklep.pl" alt="logo">',
            attachments=[("Faktura żółta.pdf", invoice, "application/pdf")],
        )
        store_attachment(
            reply,
            filename="logo.png",
            content=logo,
            content_type="image/png",
            content_id="<logo@sklep.pl>",
            inline=True,
        )

    [received] = smtp_server.received
    message = received.message
    assert parts(message) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "multipart/related",
        "text/html",
        "image/png",
        "application/pdf",
    ]
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    assert (
        '<div><p>W załączniku <b>faktura</b>.</p><img src="cid:logo@sklep.pl" alt="logo"></div>'
        in html_part.get_content()
    )
    [image] = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert (image["Content-ID"], image.get_content_disposition(), image.get_filename()) == (
        "<logo@sklep.pl>",
        "inline",
        "logo.png",
    )
    assert image.get_content() == logo
    [pdf] = list(message.iter_attachments())
    assert (pdf.get_filename(), pdf.get_content_disposition()) == (
        "Faktura żółta.pdf",
        "attachment",
    )
    assert pdf.get_content() == invoice


def test_reply_threads_to_the_customers_last_message_and_lists_the_thread(
    shop: Team,
    agent_ann: User,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    customer = customer_with_email("pl", "zofia@example.pl")
    case = CaseFactory.create(team=shop, customer=customer)
    start = timezone.now() - timedelta(days=1)
    thread = [
        (Channel.EMAIL, Interaction.Direction.INBOUND, "<m1@example.pl>"),
        (Channel.EMAIL, Interaction.Direction.OUTBOUND, "<o1@sklep.pl>"),
        (Channel.EMAIL, Interaction.Direction.INBOUND, "m2@example.pl"),
        (Channel.PHONE, Interaction.Direction.INBOUND, "call-17"),
        (Channel.EMAIL, Interaction.Direction.OUTBOUND, "<o2@sklep.pl>"),
    ]
    for minutes, (channel, direction, external_id) in enumerate(thread):
        InteractionFactory.create(
            case=case,
            channel=channel,
            direction=direction,
            external_id=external_id,
            started_at=start + timedelta(minutes=minutes),
        )

    with django_capture_on_commit_callbacks(execute=True):
        add_reply(case, by=agent_ann, body_text="Odpowiedź.")

    message = smtp_server.received[0].message
    assert message["In-Reply-To"] == "<m2@example.pl>"
    assert message["References"] == "<m1@example.pl> <o1@sklep.pl> <o2@sklep.pl> <m2@example.pl>"


def test_case_number_is_not_doubled_when_the_subject_already_carries_it(
    shop: Team,
    agent_ann: User,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = CaseFactory.create(team=shop, customer=customer_with_email("pl", "zofia@example.pl"))

    with django_capture_on_commit_callbacks(execute=True):
        add_reply(case, by=agent_ann, body_text="Tak.", subject=f"Re: Odp: [#{case.number}] Zwrot")

    assert smtp_server.received[0].message["Subject"] == f"[#{case.number}] Zwrot"


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Zwrot", "Zwrot"),
        ("RE: [#2026-000123] Zwrot", "Zwrot"),
        ("Odp: Re: Zwrot  towaru", "Zwrot towaru"),
        ("Vs: [#2026-000123] Re[2]: Arve", "Arve"),
        ("Regulamin: pytanie", "Regulamin: pytanie"),
    ],
)
def test_topic_strips_reply_prefixes_and_case_tags(subject: str, expected: str) -> None:
    assert outbound.topic(subject) == expected


def test_reply_to_is_the_per_case_address_from_threading(
    shop: Team,
    agent_ann: User,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = CaseFactory.create(team=shop, customer=customer_with_email("pl", "zofia@example.pl"))

    with django_capture_on_commit_callbacks(execute=True):
        add_reply(case, by=agent_ann, body_text="Tak.")

    reply_to = smtp_server.received[0].message["Reply-To"]
    assert reply_to == f"Team A <{reply_address_for(case)}>"
    assert re.fullmatch(rf"Team A <obsluga\+{case.number}-[0-9a-f]+@sklep\.pl>", reply_to)


def test_customer_without_email_fails_for_good_and_nothing_is_sent(
    shop: Team,
    agent_ann: User,
    smtp_server: "SmtpServer",
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    case = CaseFactory.create(team=shop, customer=CustomerFactory.create(language="en"))

    with django_capture_on_commit_callbacks(execute=True):
        reply = add_reply(case, by=agent_ann, body_text="Hello.")

    reply.refresh_from_db()
    assert reply.delivery_status == Interaction.DeliveryStatus.FAILED
    assert reply.sent_at is None
    assert reply.meta == {
        "delivery_attempts": 1,
        "delivery_error": "The customer has no email address.",
    }
    assert smtp_server.received == []
    assert case.status == Case.Status.PENDING_CUSTOMER
