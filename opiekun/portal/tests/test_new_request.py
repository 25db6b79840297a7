"""A signed-in customer opens a new request in the portal: through the one way in, with
their files, acknowledged like the web form; a form error keeps what they wrote."""

import re
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import Team
from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.tests.factories import CaseFactory
from opiekun.core.kept_files import kept
from opiekun.customers.models import Customer
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

pytestmark = pytest.mark.django_db

CaptureOnCommit = Callable[..., AbstractContextManager[object]]


@pytest.fixture(autouse=True)
def _empty_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def kasia(db: None) -> Customer:
    customer = CustomerFactory.create(name="Kasia Nowak", language="en")
    IdentityFactory.create(customer=customer, value="kasia@example.pl")
    return customer


def signed_in_as(customer: Customer) -> Client:
    client = Client()
    session = client.session
    session["portal_customer"] = customer.pk
    session["portal_identity_version"] = customer.identity_version
    session.save()
    return client


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_new_request_opens_a_case_with_its_files_and_is_acknowledged(
    kasia: Customer, team_a: Team, team_b: Team, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    CaseFactory.create(customer=kasia, team=team_b, status=Case.Status.CLOSED)
    upload = SimpleUploadedFile("faktura.pdf", b"%PDF-1.4 faktura", content_type="application/pdf")
    client = signed_in_as(kasia)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:new_request"),
            {"kind": "request", "subject": "Korekta faktury", "body_text": "Zły NIP na fakturze.",
             "attachments": [upload]},
        )  # fmt: skip
    case = Case.objects.exclude(status=Case.Status.CLOSED).get()
    page = text_of(client.get(response["Location"]).content.decode())

    assert response["Location"] == reverse("portal:case", args=[case.number])
    assert (case.channel, case.kind, case.subject, case.team, case.customer) == (
        Channel.PORTAL,
        "request",
        "Korekta faktury",
        team_b,
        kasia,
    )
    message = case.interactions.get(direction=Interaction.Direction.INBOUND)
    assert (message.channel, message.body_text, message.customer) == (
        Channel.PORTAL,
        "Zły NIP na fakturze.",
        kasia,
    )
    assert list(message.attachments.values_list("filename", flat=True)) == ["faktura.pdf"]
    ack = case.interactions.get(meta__auto="acknowledgement")
    assert ack.delivery_status == Interaction.DeliveryStatus.SENT
    (sent,) = mail.outbox
    assert sent.to == ["kasia@example.pl"]
    assert case.number in str(sent.subject)
    assert (
        f"Thank you, we have your request. Its case number is {case.number}; we have sent a "
        "confirmation to your email address too."
    ) in page


def test_a_form_error_keeps_the_text_and_the_chosen_files_for_the_next_try(
    kasia: Customer, team_a: Team
) -> None:
    CaseFactory.create(customer=kasia, team=team_a, status=Case.Status.CLOSED)
    uploads = [
        SimpleUploadedFile("zdjęcie 1.jpg", b"\xff\xd8\xff jpeg 1", content_type="image/jpeg"),
        SimpleUploadedFile("zdjęcie 2.jpg", b"\xff\xd8\xff jpeg 2", content_type="image/jpeg"),
    ]
    client = signed_in_as(kasia)
    fields = {"kind": "complaint", "body_text": "Pralka przecieka od wczoraj."}

    response = client.post(
        reverse("portal:new_request"), {**fields, "subject": "", "attachments": uploads}
    )
    html = response.content.decode()
    token = re.search(r'name="kept" value="([^"]+)"', html)

    assert response.status_code == 400
    assert "Pralka przecieka od wczoraj.</textarea>" in html
    assert '<option value="complaint" selected>' in html
    assert "These files are kept and go with your message; there is no need to choose them " in (
        text_of(html)
    )
    assert Case.objects.count() == 1
    assert token is not None

    # The second try sends only the text: the files come from where they were kept.
    client.post(reverse("portal:new_request"), {**fields, "subject": "Pralka", "kept": token[1]})

    case = Case.objects.exclude(status=Case.Status.CLOSED).get()
    message = case.interactions.get(direction=Interaction.Direction.INBOUND)
    assert sorted((f.filename, f.file.read()) for f in message.attachments.all()) == [
        ("zdjęcie 1.jpg", b"\xff\xd8\xff jpeg 1"),
        ("zdjęcie 2.jpg", b"\xff\xd8\xff jpeg 2"),
    ]
    assert kept(token[1]) == []  # forgotten once sent


def test_a_kept_files_token_names_only_what_we_kept(kasia: Customer, team_a: Team) -> None:
    forged = signing.dumps([["passwd", "../etc/passwd", "text/plain"]], salt="wrong")

    response = signed_in_as(kasia).post(
        reverse("portal:new_request"), {"subject": "S", "body_text": "B", "kept": forged}
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert not case.interactions.get(direction=Interaction.Direction.INBOUND).attachments.exists()


def test_the_same_request_sent_twice_opens_one_case(kasia: Customer, team_a: Team) -> None:
    client = signed_in_as(kasia)
    request = {"kind": "question", "subject": "Gwarancja", "body_text": "Jak długo?"}

    first = client.post(reverse("portal:new_request"), request)
    again = client.post(reverse("portal:new_request"), request)

    assert first["Location"] == again["Location"]
    assert Case.objects.count() == 1


def test_a_customer_without_cases_writes_to_the_first_team(
    kasia: Customer, team_a: Team, team_b: Team
) -> None:
    signed_in_as(kasia).post(
        reverse("portal:new_request"), {"subject": "Pytanie", "body_text": "Czy jest w sklepie?"}
    )

    case = Case.objects.get()
    assert (case.team, case.kind) == (min([team_a, team_b], key=lambda t: t.name), "question")


def test_signed_out_visitors_cannot_open_requests(team_a: Team) -> None:
    response = Client().post(
        reverse("portal:new_request"), {"subject": "Spam", "body_text": "Spam"}
    )

    assert response["Location"] == reverse("portal:start")
    assert not Case.objects.exists()


def test_a_reply_with_a_file_too_large_keeps_the_text_and_says_why(
    kasia: Customer, team_a: Team, settings: object
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 10  # type: ignore[attr-defined]
    case = CaseFactory.create(customer=kasia, team=team_a)

    response = signed_in_as(kasia).post(
        reverse("portal:reply", args=[case.number]),
        {"body_text": "Film z awarii", "attachments": [SimpleUploadedFile("film.mp4", b"x" * 11)]},
    )
    html = response.content.decode()

    assert response.status_code == 400
    assert "Film z awarii</textarea>" in html
    assert "film.mp4" in text_of(html)  # the field says which file is too large
    assert 'name="kept"' not in html  # a refused file is not kept
    assert not case.interactions.exists()


def test_the_confirmation_after_a_reply_is_in_the_customers_language(team_a: Team) -> None:
    mati = CustomerFactory.create(name="Mati Tamm", language="et")
    case = CaseFactory.create(customer=mati, team=team_a)
    client = signed_in_as(mati)

    response = client.post(reverse("portal:reply", args=[case.number]), {"body_text": "Aitäh!"})
    page = client.get(response["Location"]).content.decode()

    assert response["Location"] == reverse("portal:case", args=[case.number])
    assert '<li class="message success">Aitäh, saime teie sõnumi kätte.</li>' in page
