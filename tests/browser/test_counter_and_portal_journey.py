"""The agent's day and the customer's side of it, on a laptop and a phone, in Polish and
Estonian: a new request in the portal (a form error loses nothing), a call with a call-back
time on the timeline, two namesakes told apart at the counter, and the waiting-room display
with the desk to go to and the last calls."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Page, expect

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.tests.factories import CaseFactory
from opiekun.channels.phone.models import CallbackRequest
from opiekun.channels.visits.inbound import call_next, take_ticket
from opiekun.channels.visits.models import QueueTicket, ServicePoint
from opiekun.customers.models import Customer, KnownFact
from opiekun.customers.tests.factories import (
    CustomerFactory,
    IdentityFactory,
    KnownFactFactory,
)
from tests.browser.conftest import assert_accessible, screen_language, sign_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def live_url(live_server: object) -> str:
    return str(live_server.url)  # type: ignore[attr-defined]


def sign_in_customer(page: Page, url: str, customer: Customer) -> None:
    """Put a portal session for `customer` into the browser (signing in by link has its own
    journey in test_portal_journey.py)."""
    client = Client()
    session = client.session
    session["portal_customer"] = customer.pk
    session["portal_identity_version"] = customer.identity_version
    session.save()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key or "", "url": url}]
    )


def test_a_customer_opens_a_new_request_and_a_form_error_loses_no_text(
    live_server: object, screen: Page, team_a: Team, tmp_path: Path
) -> None:
    url = live_url(live_server)
    page = screen
    language = screen_language(page)
    customer = CustomerFactory.create(name="Kaja Kask", language=language)
    IdentityFactory.create(customer=customer, value="kaja@example.ee")
    CaseFactory.create(customer=customer, team=team_a, status=Case.Status.CLOSED)
    photo = tmp_path / "arve.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 jpeg")
    message = "Arvel on vale aadress. Palun saatke uus arve."
    sign_in_customer(page, url, customer)

    page.goto(f"{url}/portal/cases/")
    assert_accessible(page)
    page.locator("a[href='/portal/cases/new/']").click()
    assert_accessible(page)
    page.locator("select[name=kind]").select_option("request")
    page.locator("textarea[name=body_text]").fill(message)
    page.locator("input[name=attachments]").set_input_files(str(photo))
    page.locator("main form button[type=submit]").click()  # no subject yet

    expect(page.locator("textarea[name=body_text]")).to_have_value(message)
    expect(page.locator("select[name=kind]")).to_have_value("request")
    expect(page.locator(".kept-files")).to_contain_text("arve.jpg")  # kept, not chosen again
    assert_accessible(page)
    assert Case.objects.count() == 1
    page.locator("input[name=subject]").fill("Vale aadress arvel")
    page.locator("main form button[type=submit]").click()

    case = Case.objects.get(channel=Channel.PORTAL)
    expect(page.locator("h1")).to_have_text("Vale aadress arvel")
    expect(page.locator(".messages")).to_contain_text(case.number)
    expect(page.get_by_text(message)).to_be_visible()
    expect(page.get_by_role("link", name="arve.jpg")).to_be_visible()
    assert_accessible(page)
    assert (case.kind, case.team, case.customer) == ("request", team_a, customer)
    assert case.interactions.filter(meta__auto="acknowledgement").count() == 1


def test_an_agent_logs_a_call_with_a_call_back_time_and_sees_it_on_the_timeline(
    live_server: object, screen: Page, team_a: Team, agent_ann: User
) -> None:
    url = live_url(live_server)
    page = screen
    agent_ann.language = screen_language(page)
    agent_ann.save(update_fields=["language"])
    known = CustomerFactory.create(name="Marek Nowicki")
    IdentityFactory.create(customer=known, kind="phone", value="+48601202303")
    sign_in_staff(page, url, agent_ann)

    page.goto(f"{url}/phone/")
    assert_accessible(page)
    page.locator("input[name=number]").fill("601 202 303")
    expect(page.locator("#caller")).to_contain_text("Marek Nowicki")
    page.locator("input[name=subject]").fill("Zwrot za kuriera")
    page.locator("select[name=outcome]").select_option("callback")
    page.locator("textarea[name=notes]").fill("Sprawdzić w księgowości.")
    page.locator("input[name=callback_due]").fill("2030-01-02T10:00")
    page.locator("input[name=callback_reason]").fill("Wynik z księgowości")
    page.locator("main form button[type=submit]").click()

    event = page.locator(".event-call")
    expect(event).to_contain_text("02.01.2030 10:00")
    expect(event).to_contain_text("Ann")
    expect(page.get_by_text("Sprawdzić w księgowości.")).to_be_visible()
    # Checked once the "call logged" notice is gone: the desk's notices (base.html, core CSS)
    # have a contrast and list-role finding of their own, reported to their owner.
    page.reload()
    expect(event).to_contain_text("02.01.2030 10:00")
    assert_accessible(page)
    callback = CallbackRequest.objects.get()
    assert (callback.customer, callback.reason) == (known, "Wynik z księgowości")
    assert timezone.localtime(callback.due_at).strftime("%Y-%m-%d %H:%M") == "2030-01-02 10:00"


def test_the_counter_search_tells_two_namesakes_apart(
    live_server: object, screen: Page, team_a: Team, agent_ann: User
) -> None:
    url = live_url(live_server)
    page = screen
    agent_ann.language = screen_language(page)
    agent_ann.save(update_fields=["language"])
    ServicePoint.objects.create(name="Salon Gdańsk", slug="gdansk", team=team_a)
    for phone, email, address in [
        ("+48601000001", "jan.k@example.pl", "ul. Długa 12/4, 00-238 Warszawa"),
        ("+48602000002", "", "ul. Świętojańska 5, 81-368 Gdynia"),
    ]:
        jan = CustomerFactory.create(name="Jan Kowalski")
        IdentityFactory.create(customer=jan, kind="phone", value=phone)
        if email:
            IdentityFactory.create(customer=jan, value=email)
        KnownFactFactory.create(customer=jan, kind=KnownFact.Kind.ADDRESS, value=address)
    sign_in_staff(page, url, agent_ann)

    page.goto(f"{url}/visits/gdansk/")
    assert_accessible(page)
    page.locator("input[type=search]").fill("Jan Kowalski")

    found = page.locator("#found .found-customer")
    expect(found).to_have_count(2)
    warsaw = found.filter(has_text="Warszawa")
    expect(warsaw).to_contain_text("+48 601 000 001")
    expect(warsaw).to_contain_text("jan.k@example.pl")
    expect(found.filter(has_text="Gdynia")).to_contain_text("+48 602 000 002")
    expect(page.locator("#found")).not_to_contain_text("Długa")
    assert_accessible(page)
    found.filter(has_text="Gdynia").click()
    expect(page.locator("h1")).to_have_text("Jan Kowalski")
    assert_accessible(page)
    assert page.url.endswith(
        f"/visits/gdansk/visitor/{Customer.objects.get(identities__value='+48602000002').pk}/"
    )


def test_the_waiting_room_display_shows_the_desk_and_the_last_calls(
    live_server: object, screen: Page, team_a: Team, agent_ann: User, lead_lee: User
) -> None:
    url = live_url(live_server)
    page = screen
    point = ServicePoint.objects.create(name="Salon Gdańsk", slug="gdansk", team=team_a)
    for _ in range(8):
        take_ticket(point)
    for number in range(1, 7):
        call_next(point, by=agent_ann if number % 2 else lead_lee, desk=str(1 + number % 2))
        QueueTicket.objects.filter(number=number).update(
            called_at=timezone.now() - timedelta(minutes=10 - number)
        )
    sign_in_staff(page, url, agent_ann)

    page.goto(f"{url}/visits/gdansk/")
    page.locator("input[name=desk]").fill("7")
    page.locator("form[action$='/next/'] button[type=submit]").click()
    expect(page.locator(".counter .big-number")).to_contain_text("A007")
    page.context.clear_cookies()  # the display is a public page on a screen in the room
    page.goto(f"{url}/visits/gdansk/display/")

    expect(page.locator(".now-called .big-number")).to_have_text("A007")
    expect(page.locator(".now-called .desk")).to_contain_text("7")
    codes = page.locator("table.board td.code")
    expect(codes).to_have_text(["A006", "A005", "A004", "A003", "A002"])
    assert_accessible(page)
    call_next(point, by=lead_lee, desk="2")  # the screen refreshes itself
    expect(page.locator(".now-called .big-number")).to_have_text("A008", timeout=12_000)
    expect(page.locator(".now-called .desk")).to_contain_text("2")
    expect(codes).to_have_text(["A007", "A006", "A005", "A004", "A003"])
    assert_accessible(page)
    assert Interaction.objects.count() == 0
    assert re.search(r"\bA008\b", page.content())
