"""An agent's day at the desk: sign in, find a case, answer, move it on, work in Polish."""

import pytest
from django.core import mail
from playwright.sync_api import Dialog, Page, expect

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.services import add_interaction
from opiekun.cases.tests.factories import CaseFactory
from opiekun.core.sanitise import sanitise_html
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory
from tests.browser.conftest import sign_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PASSWORD = "correct horse battery staple"


def test_agent_signs_in_finds_a_case_replies_changes_status_and_switches_to_polish(
    live_server: object, page: Page, team_a: Team, agent_ann: User
) -> None:
    url = str(live_server.url)  # type: ignore[attr-defined]
    ewa = CustomerFactory.create(name="Ewa Żak", language="pl")
    IdentityFactory.create(customer=ewa, value="ewa@example.pl")
    case = CaseFactory.create(team=team_a, customer=ewa, subject="Gdzie jest moja paczka?")
    add_interaction(case, channel=Channel.EMAIL, direction=Interaction.Direction.INBOUND,
                    body_text="Zamówienie ZAM/7 nie dotarło.", customer=ewa)  # fmt: skip
    CaseFactory.create(team=team_a, subject="Inna sprawa")

    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    page.get_by_label("Search").fill("ewa@example.pl")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("Inna sprawa")).to_have_count(0)
    page.get_by_role("link", name="Gdzie jest moja paczka?").click()
    expect(page.get_by_text("Zamówienie ZAM/7 nie dotarło.")).to_be_visible()

    page.locator("textarea[name=body]").fill("Dzień dobry, paczka wyjechała dziś.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Dzień dobry, paczka wyjechała dziś.")).to_be_visible()
    page.locator("#case-controls select[name=status]").select_option("resolved")
    expect(page.locator("#case-controls select[name=status]")).to_have_value("resolved")

    page.goto(f"{url}/accounts/profile/")
    page.locator("select[name=language]").select_option("pl")
    page.locator("form[action$='/accounts/profile/'] button[type=submit]").first.click()
    page.goto(f"{url}/cases/")
    expect(page.get_by_role("link", name="Zgłoszenia").first).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "pl")

    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    reply, told = case.interactions.filter(direction=Interaction.Direction.OUTBOUND).order_by("id")
    assert reply.body_text == "Dzień dobry, paczka wyjechała dziś."
    assert reply.delivery_status == Interaction.DeliveryStatus.SENT
    # Resolving tells the customer too: a status message on the timeline, sent by email.
    assert (told.meta["auto"], told.meta["status"], told.delivery_status) == (
        "status",
        "resolved",
        Interaction.DeliveryStatus.SENT,
    )
    assert [message.to for message in mail.outbox] == [["ewa@example.pl"], ["ewa@example.pl"]]


HOSTILE = """
<p>Dzień dobry</p>
<script>window.pwned = 'script'</script>
<img src="x" onerror="window.pwned = 'onerror'">
<a href="javascript:window.pwned='link'" id="js-link">kliknij</a>
<div style="background:url(javascript:window.pwned='css'); width: expression(alert(1))">styl</div>
<svg onload="window.pwned='svg'"><script>window.pwned='svg-script'</script></svg>
<iframe src="data:text/html,<script>parent.pwned='iframe'</script>"></iframe>
<form action="https://evil.example/"><input name="x"></form>
"""


def test_hostile_mail_renders_inert_on_the_case_page(
    live_server: object, page: Page, team_a: Team, agent_ann: User
) -> None:
    url = str(live_server.url)  # type: ignore[attr-defined]
    case = CaseFactory.create(team=team_a, subject="Wrogi e-mail")
    add_interaction(case, channel=Channel.EMAIL, direction=Interaction.Direction.INBOUND,
                    body_html=sanitise_html(HOSTILE), body_text="Dzień dobry")  # fmt: skip
    sign_in_staff(page, url, agent_ann)
    dialogs: list[str] = []

    def note_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", note_dialog)

    response = page.goto(f"{url}/cases/{case.number}/")
    expect(page.get_by_text("Dzień dobry").first).to_be_visible()
    if page.locator("#js-link").count():
        page.locator("#js-link").click()
    page.wait_for_timeout(500)

    assert page.evaluate("window.pwned") is None
    assert dialogs == []
    body = page.locator(".timeline").inner_html()
    for dangerous in (
        "<script",
        "onerror",
        "onload",
        "javascript:",
        "<iframe",
        "expression(",
        "<form",
    ):
        assert dangerous not in body
    assert response is not None
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
