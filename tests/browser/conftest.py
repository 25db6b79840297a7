"""Playwright journeys in Debian's Chromium against pytest-django's live server.

Every module here sets `pytestmark = pytest.mark.browser`; `make test-browser` runs them.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from opiekun.accounts.models import User

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page that can run axe-core: CSP is bypassed only so the test can inject
    the axe script; the CSP itself is checked in the desk journeys."""
    context = browser.new_context(
        locale="pl-PL", viewport={"width": 390, "height": 844}, bypass_csp=True
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def serious_accessibility_findings(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])})"
        for violation in results["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def sign_in_staff(page: Page, live_server_url: str, user: User) -> None:
    """Put a signed-in session for `user` into the browser (the login form has its own test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server_url}])


# The screens the desk is proven on: a 1366x900 laptop and a phone, each in Polish and Estonian.
LAPTOP = ViewportSize(width=1366, height=900)
PHONE = ViewportSize(width=390, height=844)
SCREENS = {
    "laptop-pl": ("pl-PL", LAPTOP),
    "laptop-et": ("et-EE", LAPTOP),
    "phone-pl": ("pl-PL", PHONE),
    "phone-et": ("et-EE", PHONE),
}


@pytest.fixture(params=sorted(SCREENS))
def screen(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """One page per screen of SCREENS (the test runs four times). The language the page shows
    follows the signed-in user's or the visitor's choice; `screen_language(page)` tells it.
    CSP is bypassed only so that axe-core can be injected."""
    locale, viewport = SCREENS[request.param]
    context = browser.new_context(locale=locale, viewport=viewport, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def screen_language(page: Page) -> str:
    """ "pl" or "et": the language of the screen's browser."""
    return str(page.evaluate("navigator.language")).split("-")[0]


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core finding on the page as it is now."""
    findings = serious_accessibility_findings(page)
    assert not findings, findings
