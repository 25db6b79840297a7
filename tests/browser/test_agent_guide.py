"""A day at the desk as docs/agent-guide.md tells it, in English and Polish, on a 1366x900
laptop: the journey checks each step and photographs it. With OPIEKUN_SCREENSHOTS=1
(`make screenshots`) the pictures replace those in docs/agent-guide/; otherwise they go to a
temporary folder, so the guide's pictures change only when someone means them to."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.services import add_interaction
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.models import KnownFact
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory
from tests.browser.conftest import LAPTOP, assert_accessible, sign_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
GUIDE = Path(__file__).resolve().parents[2] / "docs" / "agent-guide"
TEXTS: dict[str, dict[str, Any]] = {
    "en": {
        "subject": "Where is my parcel? (order ORD/7)",
        "question": "Where is my parcel? Order ORD/7 was due on Monday.",
        "reply": "Good morning, the parcel left our warehouse today; it arrives tomorrow.",
        "others": ["Invoice INV/2026/118", "Returning a pair of shoes", "New delivery address"],
    },
    "pl": {
        "subject": "Gdzie jest moja paczka? (zamówienie ZAM/7)",
        "question": "Gdzie jest moja paczka? Zamówienie ZAM/7 miało przyjść w poniedziałek.",
        "reply": "Dzień dobry, paczka wyjechała dziś z magazynu; dotrze jutro.",
        "others": ["Faktura FV/2026/118", "Zwrot butów", "Zmiana adresu dostawy"],
    },
}


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    return GUIDE if os.environ.get("OPIEKUN_SCREENSHOTS") else tmp_path


@pytest.fixture(params=sorted(TEXTS))
def laptop(browser: Browser, request: pytest.FixtureRequest) -> Iterator[tuple[str, Page]]:
    language = request.param
    context = browser.new_context(
        locale={"en": "en-GB", "pl": "pl-PL"}[language], viewport=LAPTOP, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield language, context.new_page()
    context.close()


def photograph(page: Page, folder: Path, name: str) -> None:
    """Check the page as it is now, then keep its picture."""
    assert_accessible(page)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_a_day_at_the_desk(
    live_server: object, laptop: tuple[str, Page], shots: Path, team_a: Team, agent_ann: User
) -> None:
    language, page = laptop
    url = str(live_server.url)  # type: ignore[attr-defined]
    texts = TEXTS[language]
    agent_ann.language = language
    agent_ann.save(update_fields=["language"])
    ewa = CustomerFactory.create(name="Ewa Żak", language=language)
    IdentityFactory.create(customer=ewa, value="ewa.zak@example.pl")
    KnownFact.objects.create(customer=ewa, kind=KnownFact.Kind.ADDRESS,
                             value="ul. Długa 5, 31-147 Kraków")  # fmt: skip
    case = CaseFactory.create(team=team_a, customer=ewa, subject=texts["subject"],
                              assignee=agent_ann, language=language)  # fmt: skip
    add_interaction(case, channel=Channel.EMAIL, direction=Interaction.Direction.INBOUND,
                    body_text=texts["question"], customer=ewa)  # fmt: skip
    for subject in texts["others"]:
        CaseFactory.create(team=team_a, subject=subject, language=language)
    sign_in_staff(page, url, agent_ann)
    prefix = f"{language}-"

    # 1. The day starts with "My cases": overdue work first, one line per case.
    page.goto(f"{url}/cases/")
    expect(page.locator("tr[data-case-row]")).to_have_count(1)
    photograph(page, shots, prefix + "1-my-cases")
    page.goto(f"{url}/cases/?tab=team")
    expect(page.locator("tr[data-case-row]")).to_have_count(4)
    photograph(page, shots, prefix + "2-team-cases")

    # 2. The case page: the reply box first, properties at the side, the timeline below.
    page.goto(f"{url}{case.get_absolute_url()}")
    expect(page.get_by_text(texts["question"])).to_be_visible()
    page.keyboard.press("r")
    expect(page.locator("textarea[name=body]")).to_be_focused()
    page.keyboard.type(texts["reply"])
    photograph(page, shots, prefix + "3-case-and-reply")

    # 3. "?" lists the keyboard shortcuts.
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("?")
    expect(page.locator("dialog[open]")).to_be_visible()
    photograph(page, shots, prefix + "4-shortcuts")
    page.keyboard.press("Escape")

    # 4. Send and resolve in one action; the timeline shows the reply and the status.
    page.locator("form button[name=then_status][value=resolved]").click()
    expect(page.locator(".case-timeline").get_by_text(texts["reply"])).to_be_visible()
    photograph(page, shots, prefix + "5-sent-and-resolved")
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED

    # 5. A phone call logged from the phone page.
    page.goto(f"{url}/phone/")
    expect(page.locator("input[name=number]")).to_be_visible()
    photograph(page, shots, prefix + "6-phone")
