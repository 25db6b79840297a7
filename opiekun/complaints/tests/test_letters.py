import hashlib
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Channel, Interaction
from opiekun.cases.tests.factories import CaseFactory
from opiekun.complaints.letters import render_decision_letter
from opiekun.complaints.models import Complaint, ComplaintRegime, DecisionLetter
from opiekun.complaints.services import (
    ComplaintError,
    decide_complaint,
    deliver_decision,
    record_understanding,
    register_complaint,
)
from opiekun.customers.models import KnownFact
from opiekun.customers.tests.factories import (
    CustomerFactory,
    IdentityFactory,
    KnownFactFactory,
)

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def decided(team: Team, agent: User, *, language: str, name: str) -> Complaint:
    customer = CustomerFactory.create(name=name, language=language)
    IdentityFactory.create(customer=customer, value=f"{language}@example.com")
    case = CaseFactory.create(team=team, customer=customer)
    complaint = register_complaint(
        case,
        regime=ComplaintRegime.objects.get(code="pl-consumer"),
        received_at=datetime(2025, 3, 3, 10, tzinfo=WARSAW),
        received_channel=Channel.EMAIL,
        subject_matter="Pralka WX-200",
        description="Przecieka.",
        demand=Complaint.Demand.REPLACEMENT,
        by=agent,
    )
    record_understanding(
        complaint, text="Pralka przecieka; klientka chce wymiany na nową.", by=agent
    )
    return decide_complaint(
        complaint,
        decision=Complaint.Decision.PARTLY_ACCEPTED,
        reasons="Wymienimy bęben; obudowa była uszkodzona przy transporcie (żółć, gęś).",
        by=agent,
    )


def test_the_letter_carries_the_decision_with_polish_letters_intact(
    team_a: Team, agent_ann: User
) -> None:
    complaint = decided(team_a, agent_ann, language="en", name="Zażółć Gęślą-Jaźń")

    text = pdf_text(
        render_decision_letter(
            complaint, language="en", when=datetime(2025, 3, 10, 9, tzinfo=UTC), signer=agent_ann
        )
    )

    assert f"Answer to your complaint {complaint.case.number}" in text
    assert "Zażółć Gęślą-Jaźń" in text
    assert "We accept your complaint in part." in text
    assert "obudowa była uszkodzona przy transporcie (żółć, gęś)" in text
    assert "Pralka przecieka; klientka chce wymiany na nową." in text
    assert "Legal basis: Ustawa o prawach konsumenta, art. 7a" in text


def test_delivery_emails_the_pdf_and_keeps_its_hash(
    team_a: Team,
    agent_ann: User,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    complaint = decided(team_a, agent_ann, language="en", name="Mari Maasikas")

    with django_capture_on_commit_callbacks(execute=True):
        letter = deliver_decision(complaint, by=agent_ann)

    sent = mail.outbox[0]
    assert sent.to == ["en@example.com"]
    (pdf_part,) = [part for part in sent.message().walk() if part.get_filename()]
    content = pdf_part.get_payload(decode=True)
    assert isinstance(content, bytes)
    assert (pdf_part.get_filename(), pdf_part.get_content_type()) == (
        f"complaint-{complaint.case.number}.pdf",
        "application/pdf",
    )
    assert letter.sha256 == hashlib.sha256(content).hexdigest()
    assert letter.attachment.file.read() == content
    letter.interaction.refresh_from_db()
    assert letter.interaction.delivery_status == Interaction.DeliveryStatus.SENT
    assert letter.delivered_at == letter.interaction.sent_at
    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.DELIVERED


def test_no_letter_without_a_decision_or_an_address(team_a: Team, agent_ann: User) -> None:
    undecided = register_complaint(
        CaseFactory.create(team=team_a),
        regime=ComplaintRegime.objects.get(code="pl-consumer"),
        received_at=datetime(2025, 3, 3, 10, tzinfo=WARSAW),
        received_channel=Channel.VISIT,
        subject_matter="Buty",
        description="Odklejona podeszwa",
        demand=Complaint.Demand.REPAIR,
        by=agent_ann,
    )
    no_address = decided(team_a, agent_ann, language="pl", name="Jan Kowalski")
    no_address.case.customer.identities.all().delete()

    with pytest.raises(ComplaintError):
        deliver_decision(undecided, by=agent_ann)
    with pytest.raises(ComplaintError):
        deliver_decision(no_address, by=agent_ann)

    assert DecisionLetter.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("language", "title", "decision", "heading", "basis"),
    [
        ("en", "Answer to your complaint", "We accept your complaint in part.", "Our decision",
         "Legal basis:"),
        ("pl", "Odpowiedź na Twoją reklamację", "Uznajemy Twoją reklamację w części.",
         "Nasza decyzja", "Podstawa prawna:"),
        ("et", "Vastus teie pretensioonile", "Rahuldame teie pretensiooni osaliselt.",
         "Meie otsus", "Õiguslik alus:"),
    ],
)  # fmt: skip
def test_the_letter_is_written_in_the_customers_language(
    team_a: Team, agent_ann: User, language: str, title: str, decision: str, heading: str,
    basis: str,
) -> None:  # fmt: skip
    complaint = decided(team_a, agent_ann, language=language, name="Mari Maasikas")

    letter = render_decision_letter(
        complaint, language=language, when=datetime(2025, 3, 10, 9, tzinfo=UTC), signer=agent_ann
    )
    text = pdf_text(letter)

    assert f"{title} {complaint.case.number}" in text
    assert decision in text
    assert heading in text
    assert f"{basis} Ustawa o prawach konsumenta, art. 7a" in text


def test_delivery_uses_the_customers_language_for_the_pdf(
    team_a: Team,
    agent_ann: User,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    complaint = decided(team_a, agent_ann, language="et", name="Mari Maasikas")

    with django_capture_on_commit_callbacks(execute=True):
        letter = deliver_decision(complaint, by=agent_ann)

    assert letter.language == "et"
    assert "Rahuldame teie pretensiooni osaliselt." in pdf_text(letter.attachment.file.read())


def test_the_register_shows_what_the_letters_email_is_doing(
    team_a: Team,
    agent_ann: User,
    client: Client,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    queued = decided(team_a, agent_ann, language="en", name="Jan Kowalski")
    deliver_decision(queued, by=agent_ann)  # not committed: the email waits in the queue
    sent = decided(team_a, agent_ann, language="pl", name="Anna Nowak")
    with django_capture_on_commit_callbacks(execute=True):
        deliver_decision(sent, by=agent_ann)
    failed = decided(team_a, agent_ann, language="et", name="Mari Maasikas")
    letter = deliver_decision(failed, by=agent_ann)
    Interaction.objects.filter(pk=letter.interaction_id).update(
        delivery_status=Interaction.DeliveryStatus.FAILED
    )
    client.force_login(agent_ann)

    page = client.get(reverse("complaints:register")).content.decode()

    rows = {complaint.case.number: complaint for complaint in (queued, sent, failed)}
    for number, expected in (
        (queued.case.number, "Answer queued for sending"),
        (sent.case.number, "Answer sent"),
        (failed.case.number, "Answer not sent: delivery failed"),
    ):
        row = page[page.index(number) : page.index("</tr>", page.index(number))]
        assert expected in row, rows[number]
    assert "Answer delivered" not in page


def letter_lines(content: bytes) -> list[str]:
    return [line.strip() for line in pdf_text(content).splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("language", "date", "closing", "role"),
    [
        ("en", "10 March 2025", "Yours sincerely,", "Agent, Team A"),
        ("pl", "10 marca 2025", None, "Konsultant, Team A"),
        ("et", "10. märts 2025", None, "Klienditeenindaja, Team A"),
    ],
)
def test_the_letter_carries_the_letterhead_the_customers_address_and_the_signer(
    team_a: Team, lead_lee: User, agent_ann: User, settings: Settings, language: str, date: str,
    closing: str | None, role: str,
) -> None:  # fmt: skip
    settings.COMPANY_NAME = "Sklep AGD Sp. z o.o."
    settings.COMPANY_ADDRESS = "ul. Prosta 20, 00-850 Warszawa"
    settings.COMPANY_REGISTRATION = "NIP 525-000-00-00, KRS 0000123456"
    complaint = decided(team_a, lead_lee, language=language, name="Anna Nowak")
    customer = complaint.case.customer
    KnownFactFactory.create(customer=customer, kind=KnownFact.Kind.ADDRESS, value="Stara 1, Radom")
    KnownFactFactory.create(
        customer=customer, kind=KnownFact.Kind.ADDRESS, value="ul. Długa 12/4, 00-238 Warszawa"
    )

    lines = letter_lines(
        render_decision_letter(
            complaint, language=language, when=datetime(2025, 3, 10, 9, tzinfo=UTC),
            signer=agent_ann,
        )
    )  # fmt: skip

    assert lines[:7] == [
        "Sklep AGD Sp. z o.o.",
        "ul. Prosta 20, 00-850 Warszawa",
        "NIP 525-000-00-00, KRS 0000123456",
        date,
        "Anna Nowak",
        "ul. Długa 12/4",
        "00-238 Warszawa",
    ]
    assert lines[-2:] == ["Ann", role]
    if closing is not None:
        assert lines[-3] == closing


def test_without_a_company_or_an_address_the_letter_is_headed_by_the_team(
    team_a: Team, agent_ann: User
) -> None:
    complaint = decided(team_a, agent_ann, language="en", name="Anna Nowak")

    lines = letter_lines(
        render_decision_letter(
            complaint, language="en", when=datetime(2025, 3, 10, 9, tzinfo=UTC), signer=agent_ann
        )
    )

    assert lines[:3] == ["Team A", "10 March 2025", "Anna Nowak"]
    assert lines[3].startswith("Answer to your complaint")


def test_the_delivered_letter_is_signed_by_who_sends_it(
    team_a: Team, agent_ann: User, lead_lee: User
) -> None:
    complaint = decided(team_a, agent_ann, language="en", name="Anna Nowak")

    letter = deliver_decision(complaint, by=lead_lee)

    assert letter_lines(letter.attachment.file.read())[-2:] == ["Lee", "Lead, Team A"]
