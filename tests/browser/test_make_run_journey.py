"""`make run` as a newcomer runs it: one command starts the web server and the worker on a fresh
database with the demo, and a reply sent from the desk reaches the development outbox.

The product runs in processes of its own (its own SQLite file and outbox in a temporary
OPIEKUN_VAR_DIR), so this journey needs no database fixture; it waits on what the user would
wait for, never on a fixed time.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import SCREENS, assert_accessible

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
# Generous: the first start migrates and seeds; on a loaded machine that can take minutes.
START_TIMEOUT = 600
WAIT = 120_000  # ms, for each step in the browser
MAKE = shutil.which("make") or "make"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (http://127.0.0.1 only)
            return True
    except OSError:
        return False


@pytest.fixture
def make_run(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`make run` on a port of its own, and its log; everything it started is stopped
    afterwards."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "EMAIL_"))},
        "OPIEKUN_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("OPIEKUN_TESTING", None)
    log = (tmp_path / "make-run.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [MAKE, "--no-print-directory", "run", f"PORT={port}", "DEMO_CASES=40"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # one process group: the test's Ctrl-C stops all of it
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not answers(f"{url}/accounts/login/"):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("make run did not start:\n" + (tmp_path / "make-run.log").read_text())
            time.sleep(1)
        yield url, tmp_path / "make-run.log"
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_make_run_serves_the_desk_and_a_reply_lands_in_the_outbox(
    make_run: tuple[str, Path], browser: Browser
) -> None:
    url, run_log = make_run
    context = browser.new_context(locale="pl-PL", viewport=SCREENS["laptop-pl"][1], bypass_csp=True)
    page = context.new_page()
    # The development server compiles each template on first use; on a loaded machine the
    # first pages take seconds, so this journey waits as long as a patient user would.
    page.set_default_timeout(WAIT)
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=username]").fill("ann")
    page.locator("input[name=password]").fill("demo-ann-2026")
    page.locator("input[name=password]").press("Enter")
    # Ann works in Polish.
    expect(page.locator("html")).to_have_attribute("lang", "pl", timeout=WAIT)

    page.goto(f"{url}/cases/?tab=team")
    page.locator("#case-table tbody a").first.click()
    reply = "Sprawdziłam: paczka wyjechała dziś rano, numer przesyłki podam jutro."
    page.locator("textarea[name=body]").first.fill(reply)
    page.locator("form[action$='/reply/'] button[data-send]").click()
    expect(page.locator(".case-timeline").get_by_text(reply)).to_be_visible(timeout=WAIT)
    number = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert_accessible(page)

    # The worker hands the reply to the outbox; the agent finds it there.
    deadline = time.monotonic() + START_TIMEOUT
    while not (found := _outbox_message_with(page, url, reply)):
        if time.monotonic() > deadline:
            pytest.fail(
                "the reply never reached the outbox; make run said:\n" + run_log.read_text()[-6000:]
            )
        time.sleep(1)
    page.goto(f"{url}/email/outbox/")
    page.locator(f"table.outbox a[href='{found}']").click()
    expect(page.get_by_text(reply).first).to_be_visible(timeout=WAIT)
    expect(page.locator("h1")).to_contain_text(f"[#{number}]", timeout=WAIT)
    assert_accessible(page)
    context.close()


def _outbox_message_with(page: Page, url: str, text: str) -> str:
    """The address of the outbox message whose page shows `text` ("" while there is none)."""
    try:
        listing = page.context.request.get(f"{url}/email/outbox/").text()
        for href in re.findall(r'href="(/email/outbox/[^"]+)"', listing):
            if text in page.context.request.get(f"{url}{href}").text():
                return str(href)
    except PlaywrightError:  # the development server restarts when a source file changes
        pass
    return ""
