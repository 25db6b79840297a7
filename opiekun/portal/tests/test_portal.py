import hashlib
import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Attachment, Case, Channel, Interaction
from opiekun.cases.services import (
    add_interaction,
    add_note,
    add_reply,
    change_status,
    store_attachment,
)
from opiekun.cases.tests.factories import CaseFactory
from opiekun.channels.email.tests.worker import run_due_tasks
from opiekun.complaints.models import Complaint, ComplaintRegime
from opiekun.complaints.services import record_understanding, register_complaint
from opiekun.customers.models import Customer, Identity
from opiekun.customers.services import add_identity, detach_identity
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory
from opiekun.portal.models import SignInLink, StatusEmail
from opiekun.portal.services import notify_status_change, request_sign_in_link
from opiekun.portal.tasks import send_status_email

if TYPE_CHECKING:
    from opiekun.channels.email.tests.smtp import SmtpServer

pytest_plugins = ["opiekun.channels.email.tests.smtp"]

pytestmark = pytest.mark.django_db

SEND_SIGN_IN_LINK = "opiekun.portal.tasks.send_sign_in_link"


@pytest.fixture(autouse=True)
def _empty_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def kasia(db: None) -> Customer:
    customer = CustomerFactory.create(name="Kasia Nowak", language="en")
    IdentityFactory.create(customer=customer, value="kasia@example.pl")
    return customer


@pytest.fixture
def mati(db: None) -> Customer:
    customer = CustomerFactory.create(name="Mati Tamm", language="et")
    IdentityFactory.create(customer=customer, value="mati@example.ee")
    return customer


@pytest.fixture
def ask_for_link(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> Callable[..., bool]:
    """request_sign_in_link, with the link emailed after commit as the worker would."""

    def ask(address: str, *, client_ip: str = "127.0.0.1") -> bool:
        with django_capture_on_commit_callbacks(execute=True):
            return request_sign_in_link(address, client_ip=client_ip)

    return ask


def link_from_mail() -> str:
    match = re.search(r"https?://\S+/portal/sign-in/\S+/", str(mail.outbox[-1].body))
    assert match is not None
    return match.group(0).split("/portal/", 1)[1]


def signed_in_as(customer: Customer) -> Client:
    client = Client()
    session = client.session
    session["portal_customer"] = customer.pk
    session["portal_identity_version"] = customer.identity_version
    session.save()
    return client


def test_the_answer_is_the_same_whether_or_not_we_know_the_address(
    kasia: Customer,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    client = Client()

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("portal:start"), {"email": "kasia@example.pl"})
        unknown = client.post(reverse("portal:start"), {"email": "nobody@example.pl"})

    def without_address(text: str) -> str:
        # The address typed, and the nonce every page carries for its script, differ.
        text = re.sub(r'nonce="[^"]*"', 'nonce=""', text)
        return text.replace("kasia@example.pl", "X").replace("nobody@example.pl", "X")

    assert known.status_code == unknown.status_code == 200
    assert without_address(known.content.decode()) == without_address(unknown.content.decode())
    assert [m.to for m in mail.outbox] == [["kasia@example.pl"]]


def test_a_link_signs_in_once_and_only_by_post(
    kasia: Customer,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("portal:start"), {"email": "Kasia@Example.PL"})
    path = "/portal/" + link_from_mail()
    client = Client()

    shown = client.get(path)
    used = client.post(path)
    again = Client().post(path)

    assert shown.status_code == 200
    assert SignInLink.objects.get().used_at is not None
    assert used.status_code == 302
    assert used["Location"] == reverse("portal:cases")
    assert again.status_code == 410


def test_an_expired_link_is_refused(kasia: Customer, ask_for_link: Callable[..., bool]) -> None:
    ask_for_link("kasia@example.pl")
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client().post("/portal/" + link_from_mail())

    assert response.status_code == 410
    assert "portal_customer" not in response.client.session


def test_no_link_goes_to_an_address_attached_without_proof(
    kasia: Customer, ask_for_link: Callable[..., bool]
) -> None:
    kasia.identities.update(proof=Identity.Proof.UNPROVEN)

    sent = ask_for_link("kasia@example.pl")

    assert sent is False
    assert mail.outbox == []
    assert not SignInLink.objects.exists()


def test_no_mail_about_a_case_goes_to_an_address_attached_without_proof(
    kasia: Customer, team_a: Team
) -> None:
    kasia.identities.update(proof=Identity.Proof.UNPROVEN)
    case = CaseFactory.create(customer=kasia, team=team_a, status=Case.Status.RESOLVED)

    sent = notify_status_change(case)

    assert kasia.primary_email() == ""
    assert sent is False
    assert mail.outbox == []


def test_a_link_to_an_address_since_moved_off_the_customer_signs_in_nobody(
    kasia: Customer, agent_ann: User, ask_for_link: Callable[..., bool]
) -> None:
    IdentityFactory.create(customer=kasia, kind=Identity.Kind.PHONE, value="+48600100200")
    ask_for_link("kasia@example.pl")
    kasia.identities.filter(kind=Identity.Kind.EMAIL).update(proof=Identity.Proof.GIVEN)
    detach_identity(kasia.identities.get(kind=Identity.Kind.EMAIL), by=agent_ann)

    response = Client().post("/portal/" + link_from_mail())

    assert response.status_code == 410
    assert "portal_customer" not in response.client.session


def test_using_a_link_proves_an_address_only_given_in_a_form(
    kasia: Customer, ask_for_link: Callable[..., bool]
) -> None:
    kasia.identities.update(proof=Identity.Proof.GIVEN)
    ask_for_link("kasia@example.pl")

    Client().post("/portal/" + link_from_mail())

    assert kasia.identities.get().proof == Identity.Proof.LINK


def test_a_change_to_the_customers_identities_ends_their_portal_sessions(
    kasia: Customer, team_a: Team, agent_ann: User, ask_for_link: Callable[..., bool]
) -> None:
    CaseFactory.create(customer=kasia, team=team_a, subject="Zwrot butów")
    ask_for_link("kasia@example.pl")
    client = Client()
    client.post("/portal/" + link_from_mail())
    before = client.get(reverse("portal:cases"))

    add_identity(
        kasia, kind=Identity.Kind.PHONE, value="600 100 200", by=agent_ann, reason="Called"
    )
    after = client.get(reverse("portal:cases"))

    assert "Zwrot butów" in before.content.decode()
    assert after.status_code == 302
    assert after["Location"] == reverse("portal:start")
    assert "portal_customer" not in client.session


def test_links_are_rate_limited_per_address(
    kasia: Customer, ask_for_link: Callable[..., bool]
) -> None:
    sent = [ask_for_link("kasia@example.pl", client_ip=f"10.0.0.{n}") for n in range(7)]

    assert sent == [True, True, True, True, True, False, False]
    assert len(mail.outbox) == 5


def test_a_customer_sees_every_channel_but_never_internal_notes(
    kasia: Customer, team_a: Team, agent_ann: User
) -> None:
    call = CaseFactory.create(customer=kasia, team=team_a, channel=Channel.PHONE, subject="Telefon")
    visit = CaseFactory.create(customer=kasia, team=team_a, channel=Channel.VISIT, subject="Wizyta")
    add_interaction(call, channel=Channel.PHONE, direction="inbound", body_text="Dzwoniłam")
    add_note(call, by=agent_ann, body_text="Klientka była zdenerwowana")
    client = signed_in_as(kasia)

    listing = client.get(reverse("portal:cases")).content.decode()
    page = client.get(reverse("portal:case", args=[call.number])).content.decode()

    assert "Telefon" in listing
    assert "Wizyta" in listing
    assert visit.number in listing
    assert "Dzwoniłam" in page
    assert "zdenerwowana" not in page


def test_automatic_mail_that_came_in_is_not_shown_as_the_customers_words(
    kasia: Customer, team_a: Team
) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a, subject="Zwrot")
    add_interaction(case, channel=Channel.EMAIL, direction="inbound", body_text="Chcę zwrócić")
    for text, auto in [("Jestem na urlopie do piątku", "auto_replied"),
                       ("Delivery Status Notification", "bounce")]:  # fmt: skip
        add_interaction(case, channel=Channel.EMAIL, direction="inbound", body_text=text,
                        meta={"auto": auto})  # fmt: skip

    page = signed_in_as(kasia).get(reverse("portal:case", args=[case.number])).content.decode()

    assert "Chcę zwrócić" in page
    assert "urlopie" not in page
    assert "Delivery Status Notification" not in page


def test_another_customers_case_and_file_are_404_whatever_is_tried(
    kasia: Customer, mati: Customer, team_a: Team
) -> None:
    theirs = CaseFactory.create(customer=mati, team=team_a)
    message = add_interaction(theirs, channel=Channel.EMAIL, direction="inbound", body_text="Tere")
    file = store_attachment(
        message, filename="arve.pdf", content=b"%PDF-1.4", content_type="application/pdf"
    )
    client = signed_in_as(kasia)

    responses = [
        client.get(reverse("portal:case", args=[theirs.number])),
        client.post(reverse("portal:reply", args=[theirs.number]), {"body_text": "Hack"}),
        client.get(reverse("portal:attachment", args=[theirs.number, file.pk])),
        client.post(reverse("portal:confirm", args=[theirs.number]), {"answer": "confirm"}),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert list(theirs.interactions.values_list("body_text", flat=True)) == ["Tere"]


def test_files_on_the_customers_case_are_served_by_the_attachment_rule(
    kasia: Customer, team_a: Team
) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a)
    message = add_interaction(case, channel=Channel.EMAIL, direction="inbound", body_text="Hej")
    photo = store_attachment(
        message, filename="zdjęcie.png", content=b"\x89PNG", content_type="image/png"
    )
    page = store_attachment(
        message, filename="strona.html", content=b"<script></script>", content_type="text/html"
    )
    client = signed_in_as(kasia)

    responses = [
        client.get(reverse("portal:attachment", args=[case.number, item.pk]))
        for item in (photo, page)
    ]

    assert [
        (r.status_code, r["Content-Type"], r["Content-Disposition"], r["X-Content-Type-Options"])
        for r in responses
    ] == [
        (200, "image/png", "inline; filename*=utf-8''zdj%C4%99cie.png", "nosniff"),
        (200, "application/octet-stream", 'attachment; filename="strona.html"', "nosniff"),
    ]


def test_a_file_on_an_internal_note_is_never_served(
    kasia: Customer, team_a: Team, agent_ann: User
) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a)
    note = add_note(case, by=agent_ann, body_text="Wewnętrzne")
    file = store_attachment(note, filename="notatka.txt", content=b"tajne")

    response = signed_in_as(kasia).get(reverse("portal:attachment", args=[case.number, file.pk]))

    assert response.status_code == 404


def test_signed_out_visitors_are_asked_for_a_link(kasia: Customer, team_a: Team) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a)

    response = Client().get(reverse("portal:case", args=[case.number]))

    assert (response.status_code, response["Location"]) == (302, reverse("portal:start"))


def test_reply_with_a_file_lands_on_the_timeline(kasia: Customer, team_a: Team) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a, status=Case.Status.PENDING_CUSTOMER)
    upload = SimpleUploadedFile("zdjęcie.jpg", b"\xff\xd8\xff jpeg", content_type="image/jpeg")

    response = signed_in_as(kasia).post(
        reverse("portal:reply", args=[case.number]),
        {"body_text": "Przesyłam zdjęcie", "attachments": [upload]},
    )

    assert response.status_code == 302
    interaction = case.interactions.get()
    assert (interaction.channel, interaction.direction, interaction.customer) == (
        Channel.PORTAL,
        Interaction.Direction.INBOUND,
        kasia,
    )
    assert list(Attachment.objects.values_list("filename", "size")) == [("zdjęcie.jpg", 8)]
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_a_file_over_the_limit_is_refused_with_the_reason(
    kasia: Customer, team_a: Team, settings: object
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 10  # type: ignore[attr-defined]
    case = CaseFactory.create(customer=kasia, team=team_a)
    upload = SimpleUploadedFile("big.bin", b"x" * 11)

    response = signed_in_as(kasia).post(
        reverse("portal:reply", args=[case.number]),
        {"body_text": "Duży plik", "attachments": [upload]},
    )

    assert response.status_code == 400
    assert "“big.bin” is larger than the limit of 10\xa0bytes." in response.content.decode()
    assert not case.interactions.exists()


def test_the_customer_confirms_our_understanding_in_the_portal(
    kasia: Customer, team_a: Team, agent_ann: User
) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a)
    complaint = register_complaint(
        case,
        regime=ComplaintRegime.objects.get(code="pl-consumer"),
        received_at=datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Europe/Warsaw")),
        received_channel=Channel.PORTAL,
        subject_matter="Kurtka",
        description="Rozpruty szew",
        demand=Complaint.Demand.REPAIR,
        by=agent_ann,
    )
    record_understanding(complaint, text="Szew puścił po tygodniu; chce naprawy.", by=agent_ann)

    signed_in_as(kasia).post(reverse("portal:confirm", args=[case.number]), {"answer": "confirm"})

    complaint.refresh_from_db()
    assert complaint.understanding_confirmed_via == Complaint.ConfirmedVia.PORTAL
    assert complaint.state == Complaint.State.UNDERSTOOD


def test_status_emails_follow_the_per_status_setting(
    kasia: Customer,
    team_a: Team,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a, status=Case.Status.RESOLVED)
    StatusEmail.objects.create(status=Case.Status.OPEN, enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        resolved = notify_status_change(case)
        case.status = Case.Status.OPEN
        opened = notify_status_change(case)

    assert (resolved, opened) == (True, False)
    assert [m.subject for m in mail.outbox] == [f"[#{case.number}] Resolved"]
    told = case.interactions.get()
    assert (told.direction, told.meta["auto"], told.subject, told.delivery_status) == (
        Interaction.Direction.OUTBOUND,
        "status",
        "Resolved",
        Interaction.DeliveryStatus.SENT,
    )
    assert case.first_response_at is None


def test_the_status_message_is_written_once_however_often_the_task_runs(
    kasia: Customer,
    team_a: Team,
    agent_ann: User,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a, status=Case.Status.OPEN)
    with django_capture_on_commit_callbacks(execute=True):
        change_status(case, status=Case.Status.RESOLVED, by=agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        again = send_status_email.call(case.pk, Case.Status.RESOLVED)

    assert again is False
    assert case.interactions.filter(meta__auto="status").count() == 1
    assert [m.subject for m in mail.outbox] == [f"[#{case.number}] Resolved"]


def test_a_status_change_emails_the_customer_after_commit_but_a_reply_does_not_twice(
    kasia: Customer,
    team_a: Team,
    agent_ann: User,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a, status=Case.Status.OPEN)

    with django_capture_on_commit_callbacks(execute=True):
        add_reply(case, by=agent_ann, body_text="Prosimy o numer zamówienia.")
    after_reply = [m.subject for m in mail.outbox]
    with django_capture_on_commit_callbacks(execute=True):
        change_status(case, status=Case.Status.RESOLVED, by=agent_ann)

    assert case.status == Case.Status.RESOLVED
    assert len(after_reply) == 1  # the reply itself, no "waiting for you" on top
    assert mail.outbox[-1].subject == f"[#{case.number}] Resolved"
    assert mail.outbox[-1].to == ["kasia@example.pl"]


# ----------------------------------------------------------------------------- sign-in mail


@pytest.fixture
def database_tasks(settings: Settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }


@pytest.fixture
def ola(db: None) -> Customer:
    customer = CustomerFactory.create(name="Ola Kowalska", language="pl")
    IdentityFactory.create(customer=customer, value="ola@example.pl")
    return customer


def path_in(message: EmailMessage) -> str:
    """The sign-in path in a received message's text part."""
    text = message.get_body(("plain",))
    assert isinstance(text, EmailMessage)
    match = re.search(r"https?://\S+(/portal/sign-in/\S+/)", text.get_content())
    assert match is not None
    return match.group(1)


def make_sign_in_links_due() -> None:
    DBTaskResult.objects.filter(task_path=SEND_SIGN_IN_LINK, status="READY").update(
        run_after=timezone.now()
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_tasks")
def test_with_the_mail_server_down_the_start_page_answers_and_the_link_follows_once(
    ola: Customer, smtp_comes_back: Callable[[], "SmtpServer"]
) -> None:
    page = Client().post(reverse("portal:start"), {"email": "ola@example.pl"})
    run_due_tasks()
    server = smtp_comes_back()
    for _ in range(2):
        make_sign_in_links_due()
        run_due_tasks()

    assert page.status_code == 200
    attempts = DBTaskResult.objects.filter(task_path=SEND_SIGN_IN_LINK).order_by("enqueued_at")
    assert [attempt.return_value for attempt in attempts] == ["retry", "sent"]
    assert [item.rcpt_tos for item in server.received] == [["ola@example.pl"]]
    message = server.received[0].message
    assert message["Subject"] == "Link do Twoich zgłoszeń"
    assert message["Auto-Submitted"] == "auto-generated"
    signed_in = Client().post(path_in(message))
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("portal:cases")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_tasks")
def test_the_link_is_nowhere_in_the_task_table(kasia: Customer, smtp_server: "SmtpServer") -> None:
    Client().post(reverse("portal:start"), {"email": "kasia@example.pl"})
    run_due_tasks()

    token = path_in(smtp_server.received[0].message).split("/")[-2]
    link = SignInLink.objects.get()
    tasks = list(DBTaskResult.objects.values())
    assert [(task["task_path"], task["args_kwargs"]["args"]) for task in tasks] == [
        (SEND_SIGN_IN_LINK, [link.pk])
    ]
    assert token not in json.dumps(tasks, default=str)
    assert token not in (link.salt, link.digest)
    assert link.digest == hashlib.sha256(token.encode()).hexdigest()


def test_the_link_is_written_in_the_customers_language(
    mati: Customer, ask_for_link: Callable[..., bool]
) -> None:
    ask_for_link("mati@example.ee")

    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert message.subject == "Link teie pöördumiste juurde"
    assert message.to == ["mati@example.ee"]
    assert str(message.body).startswith("Tere,\n\n")
    assert "/portal/sign-in/" in str(message.body)
    assert mimetype == "text/html"
    assert '<html lang="et">' in str(html)


def test_open_cases_come_first_and_closed_ones_are_folded(kasia: Customer, team_a: Team) -> None:
    CaseFactory.create(customer=kasia, team=team_a, subject="Stara sprawa", status="closed")
    CaseFactory.create(customer=kasia, team=team_a, subject="Bieżąca sprawa", status="open")

    page = signed_in_as(kasia).get(reverse("portal:cases")).content.decode()

    folded = page.index('<details class="closed-cases">')
    assert page.index("Bieżąca sprawa") < folded < page.index("Stara sprawa")
    assert "1 resolved or closed case" in page


def test_the_customer_chooses_the_language_of_the_portal_and_our_messages(
    kasia: Customer, team_a: Team
) -> None:
    client = signed_in_as(kasia)

    response = client.post(reverse("portal:language"), {"language": "et"})
    page = client.get(reverse("portal:cases")).content.decode()

    kasia.refresh_from_db()
    assert response["Location"] == reverse("portal:cases")
    assert kasia.language == "et"
    assert '<html lang="et">' in page


def test_a_file_name_stored_with_a_hidden_trick_shows_its_real_extension(
    kasia: Customer, team_a: Team
) -> None:
    case = CaseFactory.create(customer=kasia, team=team_a)
    message = add_interaction(case, channel=Channel.EMAIL, direction="inbound", body_text="Faktura")
    file = store_attachment(message, filename="x", content=b"MZ", content_type="application/pdf")
    # A name stored before names were cleaned: it reads as "invoiceexe.pdf".
    Attachment.objects.filter(pk=file.pk).update(filename="invoice\u202efdp.exe")

    page = signed_in_as(kasia).get(reverse("portal:case", args=[case.number])).content.decode()

    assert "\u202e" not in page
    assert "invoicefdp.exe" in page
    assert ">.exe</span>" in page
