"""The portal-takeover attack, walked in a browser: a stranger who knows a customer's phone
number sends the web form with their own address and that number, asks the portal for a link,
and sees only their own request; the agent sees the possible match."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel
from opiekun.cases.services import open_case
from opiekun.channels.web.models import ContactForm
from opiekun.customers.models import Identity
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory
from tests.browser.conftest import sign_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_stranger_with_the_victims_phone_number_sees_only_their_own_request(
    live_server: object, phone_page: Page, page: Page, team_a: Team, agent_ann: User
) -> None:
    cache.clear()
    url = str(live_server.url)  # type: ignore[attr-defined]
    victim = CustomerFactory.create(name="Wiktoria Nowak")
    IdentityFactory.create(customer=victim, value="wiktoria@example.pl")
    IdentityFactory.create(customer=victim, kind=Identity.Kind.PHONE, value="+48600100200")
    open_case(customer=victim, team=team_a, subject="Reklamacja pralki", channel=Channel.PHONE)
    ContactForm.objects.create(
        slug="kontakt", title="Kontakt", team=team_a, fields=[ContactForm.Field.PHONE]
    )
    attacker = phone_page

    attacker.goto(f"{url}/contact/kontakt/?language=pl")
    attacker.locator("input[name=name]").fill("Ktoś Obcy")
    attacker.locator("input[name=email]").fill("obcy@example.com")
    attacker.locator("input[name=phone]").fill("600 100 200")
    attacker.locator("input[name=subject]").fill("Pytanie o dostawę")
    attacker.locator("textarea[name=message]").fill("Kiedy dostawa?")
    attacker.locator("form button[type=submit]").click()
    request = Case.objects.get(subject="Pytanie o dostawę")
    expect(attacker.get_by_text(request.number)).to_be_visible()

    attacker.goto(f"{url}/portal/")
    attacker.get_by_label(re.compile("e-mail|email", re.I)).fill("obcy@example.com")
    attacker.get_by_role("button").filter(has_text=re.compile(".")).last.click()
    sent = [message for message in mail.outbox if "obcy@example.com" in message.to]
    link = re.search(r"https?://\S+/portal/sign-in/\S+/", str(sent[-1].body))
    assert link is not None
    attacker.goto(url + urlsplit(link.group(0)).path)
    attacker.locator("main form button").click()

    expect(attacker.get_by_text("Pytanie o dostawę")).to_be_visible()
    expect(attacker.get_by_text("Reklamacja pralki")).to_have_count(0)
    sign_in_staff(page, url, agent_ann)
    page.goto(f"{url}/cases/{request.number}/")
    expect(page.get_by_text("Possible match")).to_be_visible()
    expect(page.locator(".possible-matches").get_by_text("Wiktoria Nowak")).to_be_visible()
    assert list(victim.identities.values_list("value", flat=True)) == [
        "wiktoria@example.pl",
        "+48600100200",
    ]
