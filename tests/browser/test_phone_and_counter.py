"""Phone and face-to-face work in the browser: a call with a call-back, a counter visit."""

import pytest
from playwright.sync_api import Page, expect

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Interaction
from opiekun.cases.tests.factories import CaseFactory
from opiekun.channels.phone.models import CallbackRequest
from opiekun.channels.visits.inbound import take_ticket
from opiekun.channels.visits.models import QueueTicket, ServicePoint
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory
from tests.browser.conftest import serious_accessibility_findings, sign_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_call_that_needs_a_call_back_then_the_call_back(
    live_server: object, page: Page, team_a: Team, agent_ann: User
) -> None:
    url = str(live_server.url)  # type: ignore[attr-defined]
    known = CustomerFactory.create(name="Marek Nowicki")
    IdentityFactory.create(customer=known, kind="phone", value="+48601202303")
    CaseFactory.create(customer=known, team=team_a, subject="Faktura korygująca")
    sign_in_staff(page, url, agent_ann)

    page.goto(f"{url}/phone/")
    page.locator("input[name=number]").fill("601 202 303")
    expect(page.locator("#caller")).to_contain_text("Marek Nowicki")
    expect(page.locator("#caller")).to_contain_text("Faktura korygująca")
    page.locator("input[name=subject]").fill("Zwrot za kurier")
    page.locator("select[name=outcome]").select_option("callback")
    page.locator("textarea[name=notes]").fill("Sprawdzić w księgowości i oddzwonić.")
    page.locator("input[name=callback_due]").fill("2030-01-02T10:00")
    page.locator("input[name=callback_reason]").fill("Wynik z księgowości")
    page.get_by_role("button", name="Save call").click()
    expect(page.get_by_text("Sprawdzić w księgowości i oddzwonić.")).to_be_visible()

    page.goto(f"{url}/phone/callbacks/")
    row = page.locator("tr", has_text="Wynik z księgowości")
    row.locator("select[name=outcome]").select_option("resolved")
    row.locator("input[name=handle_time]").fill("3")
    row.get_by_role("button", name="Called back").click()
    expect(page.get_by_text("No call-backs waiting.")).to_be_visible()

    callback = CallbackRequest.objects.get()
    assert callback.done_by == agent_ann
    assert callback.case is not None
    calls = list(
        callback.case.interactions.order_by("id").values_list("direction", "handle_seconds")
    )
    assert calls[0][0] == "inbound"
    assert calls[1] == ("outbound", 180)
    assert callback.case.customer == known


def test_a_walk_in_is_called_and_served_at_the_counter_in_a_few_taps(
    live_server: object, phone_page: Page, team_a: Team, agent_ann: User
) -> None:
    url = str(live_server.url)  # type: ignore[attr-defined]
    ServicePoint.objects.create(name="Salon Gdańsk", slug="gdansk", team=team_a)
    regular = CustomerFactory.create(name="Pani Halina")
    IdentityFactory.create(customer=regular, kind="phone", value="+48602000111")
    take_ticket(ServicePoint.objects.get(), reason="Odbiór naprawy")
    page = phone_page
    page.set_viewport_size({"width": 1024, "height": 768})  # a tablet at the counter
    sign_in_staff(page, url, agent_ann)

    page.goto(f"{url}/visits/gdansk/")
    assert serious_accessibility_findings(page) == []
    page.locator("input[name=desk]").fill("3")
    page.get_by_role("button", name="Call next customer").click()
    expect(page.locator(".big-number")).to_have_text("A001 → 3")
    page.locator("input[type=search]").fill("602 000 111")
    page.get_by_role("link", name="Pani Halina").click()
    expect(page.locator("input[name=reason]")).to_have_value("Odbiór naprawy")
    page.locator("select[name=outcome]").select_option("resolved")
    page.get_by_role("button", name="Save visit").click()
    expect(page.get_by_text("Visit saved on case")).to_be_visible()

    ticket = QueueTicket.objects.get()
    assert (ticket.state, ticket.desk) == (QueueTicket.State.SERVED, "3")
    visit = Interaction.objects.get(channel="visit")
    assert (visit.customer, visit.case.channel, visit.meta["ticket"]) == (regular, "visit", "A001")
    assert Case.objects.filter(customer=regular).count() == 1
