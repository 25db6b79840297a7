"""A customer follows their case on a phone: sign in by link, read, confirm, reply."""

import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Channel, Interaction
from opiekun.cases.services import add_interaction, add_note
from opiekun.cases.tests.factories import CaseFactory
from opiekun.complaints.models import Complaint, ComplaintRegime
from opiekun.complaints.services import record_understanding, register_complaint
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory
from tests.browser.conftest import serious_accessibility_findings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_customer_signs_in_by_link_confirms_understanding_and_replies_with_a_file(
    live_server: object, phone_page: Page, team_a: Team, agent_ann: User, tmp_path: Path
) -> None:
    url = str(live_server.url)  # type: ignore[attr-defined]
    kasia = CustomerFactory.create(name="Katarzyna Zając", language="pl")
    IdentityFactory.create(customer=kasia, value="kasia@example.pl")
    case = CaseFactory.create(
        customer=kasia, team=team_a, subject="Pęknięty ekran", channel=Channel.PHONE
    )
    add_interaction(
        case,
        channel=Channel.EMAIL,
        direction=Interaction.Direction.OUTBOUND,
        body_text="Sprawdzamy zgłoszenie, odezwiemy się jutro.",
        author=agent_ann,
    )
    add_note(case, by=agent_ann, body_text="NOTATKA WEWNĘTRZNA")
    complaint = register_complaint(
        case, regime=ComplaintRegime.objects.get(code="pl-consumer"),
        received_at=datetime(2026, 11, 20, 10, tzinfo=ZoneInfo("Europe/Warsaw")),
        received_channel=Channel.PHONE, subject_matter="Telefon X", description="Pęknięty ekran",
        demand=Complaint.Demand.REPAIR, by=agent_ann,
    )  # fmt: skip
    record_understanding(
        complaint, text="Ekran pękł sam po tygodniu; chce Pani naprawy.", by=agent_ann
    )
    stranger = CaseFactory.create(team=team_a, subject="Cudza sprawa")
    page = phone_page
    findings: dict[str, list[str]] = {}

    page.goto(f"{url}/portal/")
    findings["start"] = serious_accessibility_findings(page)
    page.get_by_label(re.compile("e-mail|email", re.I)).fill("kasia@example.pl")
    page.get_by_role("button").filter(has_text=re.compile(".")).last.click()
    findings["link sent"] = serious_accessibility_findings(page)
    link = re.search(r"https?://\S+/portal/sign-in/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    page.goto(url + urlsplit(link.group(0)).path)
    findings["sign in"] = serious_accessibility_findings(page)
    page.locator("main form button").click()

    expect(page.get_by_text("Pęknięty ekran")).to_be_visible()
    findings["cases"] = serious_accessibility_findings(page)
    page.get_by_text("Pęknięty ekran").click()
    expect(page.get_by_text("Sprawdzamy zgłoszenie, odezwiemy się jutro.")).to_be_visible()
    expect(page.get_by_text("NOTATKA WEWNĘTRZNA")).to_have_count(0)
    findings["case"] = serious_accessibility_findings(page)
    page.locator("button[value=confirm]").click()
    photo = tmp_path / "ekran.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    page.locator("textarea[name=body_text]").fill("Przesyłam zdjęcie ekranu.")
    page.locator("input[name=attachments]").set_input_files(str(photo))
    page.locator("form[enctype] button[type=submit]").click()
    expect(page.get_by_text("Przesyłam zdjęcie ekranu.")).to_be_visible()
    expect(page.get_by_role("link", name="ekran.jpg")).to_be_visible()
    response = page.goto(f"{url}/portal/cases/{stranger.number}/")

    assert response is not None
    assert response.status == 404
    assert {name: found for name, found in findings.items() if found} == {}
    complaint.refresh_from_db()
    assert complaint.understanding_confirmed_via == "portal"
    reply = case.interactions.filter(channel=Channel.PORTAL).get()
    assert list(reply.attachments.values_list("filename", flat=True)) == ["ekran.jpg"]


def test_a_file_over_the_limit_is_refused_in_the_page_before_it_is_uploaded(
    live_server: object, phone_page: Page, team_a: Team, settings: object, tmp_path: Path
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1000  # type: ignore[attr-defined]
    url = str(live_server.url)  # type: ignore[attr-defined]
    kasia = CustomerFactory.create(name="Katarzyna Zając", language="pl")
    IdentityFactory.create(customer=kasia, value="kasia@example.pl")
    case = CaseFactory.create(customer=kasia, team=team_a, subject="Pęknięty ekran")
    page = phone_page
    page.goto(f"{url}/portal/")
    page.get_by_label(re.compile("e-mail|email", re.I)).fill("kasia@example.pl")
    page.get_by_role("button").filter(has_text=re.compile(".")).last.click()
    link = re.search(r"https?://\S+/portal/sign-in/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    page.goto(url + urlsplit(link.group(0)).path)
    page.locator("main form button").first.click()
    page.goto(f"{url}/portal/cases/{case.number}/")
    big = tmp_path / "film.mp4"
    big.write_bytes(b"x" * 5000)

    page.locator("textarea[name=body_text]").fill("Przesyłam film.")
    page.locator("input[name=attachments]").set_input_files(str(big))
    message = page.locator("input[name=attachments]").evaluate("input => input.validationMessage")
    page.locator("form[enctype] button[type=submit]").click()

    assert "film.mp4" in message
    assert not case.interactions.filter(channel=Channel.PORTAL).exists()
