"""Pages people outside the team use: the embedded contact form, the kiosk, the display."""

import pytest
from playwright.sync_api import Page, expect

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case
from opiekun.channels.visits.inbound import call_next
from opiekun.channels.visits.models import ServicePoint
from opiekun.channels.web.models import ContactForm
from tests.browser.conftest import serious_accessibility_findings

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_contact_form_opens_a_case_and_shows_its_number(
    live_server: object, phone_page: Page, team_a: Team
) -> None:
    ContactForm.objects.create(slug="sklep", title="Napisz do nas", team=team_a, fields=["order"])
    page = phone_page

    page.goto(f"{live_server.url}/contact/sklep/?language=pl")  # type: ignore[attr-defined]
    before = serious_accessibility_findings(page)
    page.locator("#id_name").fill("Tomasz Wójcik")
    page.locator("#id_email").fill("tomasz@example.pl")
    page.locator("#id_order").fill("ZAM/2026/901")
    page.locator("#id_subject").fill("Zwrot towaru")
    page.locator("#id_message").fill("Chcę zwrócić kurtkę, jest za mała.")
    page.locator("button[type=submit]").click()

    case = Case.objects.get()
    expect(page.get_by_text(case.number)).to_be_visible()
    assert before == []
    assert serious_accessibility_findings(page) == []
    assert (case.channel, case.customer.name, case.language) == ("web", "Tomasz Wójcik", "pl")


def test_kiosk_number_appears_on_the_display_when_called(
    live_server: object, phone_page: Page, browser: object, team_a: Team, agent_ann: User
) -> None:
    point = ServicePoint.objects.create(name="Salon Tallinn", slug="tallinn", team=team_a)
    kiosk = phone_page
    display = kiosk.context.new_page()
    display.goto(f"{live_server.url}/visits/tallinn/display/")  # type: ignore[attr-defined]

    kiosk.goto(f"{live_server.url}/visits/tallinn/kiosk/")  # type: ignore[attr-defined]
    assert serious_accessibility_findings(kiosk) == []
    kiosk.locator("main form button").click()
    expect(kiosk.get_by_role("status")).to_have_text("A001")
    call_next(point, by=agent_ann, desk="3")

    # The display refreshes itself every few seconds.
    expect(display.locator(".now-called .big-number")).to_have_text("A001", timeout=12_000)
    expect(display.locator(".now-called .desk")).to_contain_text("3")
    assert serious_accessibility_findings(display) == []
