"""An agent's day on the case page, on a laptop and a phone, in Polish and Estonian: moving
between cases with j/k, the "?" shortcuts, properties that save as they change, tags as
chips, a draft that survives leaving the page, and "send and resolve"."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import FilePayload, Page, expect

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Event, Interaction, Tag
from opiekun.cases.services import mark_presence
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory
from tests.browser.conftest import assert_accessible, screen_language, sign_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """The journey saves a dozen times on a machine others share: wait up to 15 s for each."""
    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=5_000)


def settled(page: Page) -> None:
    """Wait until HTMX has finished swapping: the new panel's fields listen for changes only
    once it has settled, and a test types faster than an agent."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )


def test_agent_works_a_case_from_the_keyboard_and_the_side_panel(
    live_server: object, screen: Page, team_a: Team, agent_ann: User
) -> None:
    page = screen
    url = str(live_server.url)  # type: ignore[attr-defined]
    agent_ann.language = screen_language(page)
    agent_ann.save(update_fields=["language"])
    ewa = CustomerFactory.create(name="Ewa Żak", language="pl")
    IdentityFactory.create(customer=ewa, value="ewa@example.pl")
    first = CaseFactory.create(team=team_a, customer=ewa, subject="Paczka", status="open")
    second = CaseFactory.create(team=team_a, subject="Faktura", status="open")
    Tag.objects.create(name="faktura-korekta")
    sign_in_staff(page, url, agent_ann)

    # The list remembers its order; j chooses a row and o opens it.
    page.goto(f"{url}/cases/?tab=all")
    rows = page.locator("tr[data-case-row]")
    expect(rows).to_have_count(2)
    assert_accessible(page)
    order = [rows.nth(i).get_attribute("data-href") for i in range(2)]
    page.keyboard.press("j")
    expect(rows.first).to_have_class(re.compile("is-current"))
    page.keyboard.press("o")
    expect(page).to_have_url(f"{url}{order[0]}")
    page.wait_for_load_state()  # the shortcuts listen once the page's scripts have run

    # On a case page j and k follow the list.
    page.keyboard.press("j")
    expect(page).to_have_url(f"{url}{order[1]}")
    page.wait_for_load_state()
    page.keyboard.press("k")
    expect(page).to_have_url(f"{url}{order[0]}")
    page.wait_for_load_state()
    if order[0] != first.get_absolute_url():
        page.goto(f"{url}/cases/{first.number}/")
    assert_accessible(page)

    # "?" lists the shortcuts in a dialog that Esc closes.
    page.keyboard.press("?")
    dialog = page.locator("dialog#shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog.locator("kbd", has_text="r").first).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # r goes to the reply box, which is above the timeline; Esc leaves it, and shortcuts
    # typed in it are just text.
    reply_box = page.locator("#compose textarea[name=body]")
    page.keyboard.press("r")
    expect(reply_box).to_be_focused()
    page.keyboard.type("Dzień dobry, jak się macie?")
    page.keyboard.press("Escape")
    expect(reply_box).not_to_be_focused()
    expect(reply_box).to_have_value("Dzień dobry, jak się macie?")

    # The draft survives going to another case and back.
    page.goto(f"{url}/cases/{second.number}/")
    expect(page.locator("#compose textarea[name=body]")).to_have_value("")
    page.goto(f"{url}/cases/{first.number}/")
    expect(reply_box).to_have_value("Dzień dobry, jak się macie?")
    expect(page.locator("#compose [data-draft-notice]")).to_be_visible()

    # a assigns the case to me; each property saves as it changes and says so.
    panel = page.locator("#case-controls")
    page.keyboard.press("a")
    expect(panel.locator("select[name=agent]")).to_have_value(str(agent_ann.pk))
    expect(panel.locator("form[action$='/assign/'] .control-state.saved")).to_be_visible()
    settled(page)
    panel.locator("select[name=priority]").select_option("urgent")
    expect(panel.locator("form[action$='/priority/'] .control-state.saved")).to_be_visible()
    expect(page.locator("#case-header .badge.priority-urgent")).to_be_visible()
    settled(page)
    panel.locator("select[name=kind]").select_option("complaint")
    expect(panel.locator("form[action$='/kind/'] .control-state.saved")).to_be_visible()
    settled(page)

    # s goes to the status; arrowing through it saves once, when the agent leaves it.
    page.keyboard.press("s")
    expect(panel.locator("select[name=status]")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert not Event.objects.filter(case=first, kind=Event.Kind.STATUS).exists()
    page.keyboard.press("Escape")
    expect(panel.locator("form[action$='/status/'] .control-state.saved")).to_be_visible()
    settled(page)
    assert list(
        Event.objects.filter(case=first, kind=Event.Kind.STATUS).values_list("payload__after")
    ) == [("pending_internal",)]

    # Tags are chips: t goes to the tag field, Enter adds, the chip's button removes;
    # suggestions come from the tags already in use.
    page.keyboard.press("t")
    tag_input = panel.locator("input[name=add]")
    expect(tag_input).to_be_focused()
    page.keyboard.type("zwrot")
    page.keyboard.press("Enter")
    expect(panel.locator(".chip", has_text="zwrot")).to_be_visible()
    settled(page)
    tag_input.fill("faktura")
    expect(panel.locator("#case-tag-suggestions option[value=faktura-korekta]")).to_have_count(1)
    tag_input.fill("faktura-korekta")
    tag_input.press("Enter")
    expect(panel.locator(".chip", has_text="faktura-korekta")).to_be_visible()
    settled(page)
    panel.locator(".chip", has_text="zwrot").locator("button").click()
    expect(panel.locator(".chip")).to_have_count(1)
    assert_accessible(page)

    # All of it is saved: a reload shows it.
    page.reload()
    expect(panel.locator("select[name=priority]")).to_have_value("urgent")
    expect(panel.locator("select[name=kind]")).to_have_value("complaint")
    expect(panel.locator("select[name=agent]")).to_have_value(str(agent_ann.pk))
    expect(panel.locator(".chip")).to_have_text([re.compile("faktura-korekta")])

    # n opens the internal note.
    page.keyboard.press("n")
    expect(page.locator("#note textarea")).to_be_focused()
    page.keyboard.press("Escape")

    # Send and resolve: one click, the reply on top of the timeline, the case resolved and
    # the draft gone.
    page.locator("#compose button[name=then_status][value=resolved]").click()
    newest_interaction = page.locator("#timeline > li.interaction").first
    expect(newest_interaction).to_contain_text("Dzień dobry, jak się macie?")
    expect(page.locator("#case-header .badge.status-resolved")).to_be_visible()
    expect(panel.locator("select[name=status]")).to_have_value("resolved")
    expect(reply_box).to_have_value("")
    page.reload()
    expect(reply_box).to_have_value("")
    expect(page.locator("#compose [data-draft-notice]")).to_be_hidden()
    assert_accessible(page)

    first.refresh_from_db()
    assert (first.status, first.priority, first.kind, first.assignee) == (
        Case.Status.RESOLVED,
        Case.Priority.URGENT,
        Case.Kind.COMPLAINT,
        agent_ann,
    )
    assert list(first.tags.values_list("name", flat=True)) == ["faktura-korekta"]
    reply = first.interactions.get(direction=Interaction.Direction.OUTBOUND)
    assert reply.body_text == "Dzień dobry, jak się macie?"


def test_a_refused_reply_keeps_its_text_and_its_chosen_file(
    live_server: object, page: Page, team_a: Team, agent_ann: User, lead_lee: User
) -> None:
    url = str(live_server.url)  # type: ignore[attr-defined]
    ewa = CustomerFactory.create(name="Ewa Żak", language="pl")
    IdentityFactory.create(customer=ewa, value="ewa@example.pl")
    case = CaseFactory.create(team=team_a, customer=ewa, subject="Faktura", status="open")
    mark_presence(case, user=lead_lee, replying=True)  # a colleague is writing too
    sign_in_staff(page, url, agent_ann)
    page.goto(f"{url}{case.get_absolute_url()}")

    page.locator("textarea[name=body]").fill("W załączniku korekta faktury.")
    page.locator("#compose input[type=file]").set_input_files(
        files=[FilePayload(name="korekta.pdf", mimeType="application/pdf", buffer=b"%PDF-1.4")]
    )
    page.locator("#compose button[data-send]").click()

    # Refused: someone else is replying. The text and the file are still there.
    send_anyway = page.locator("#compose input[name=send_anyway]")
    expect(send_anyway).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_have_value("W załączniku korekta faktury.")
    assert page.locator("#compose input[type=file]").evaluate("input => input.files.length") == 1
    send_anyway.check()
    page.locator("#compose button[data-send]").click()

    expect(page.locator(".case-timeline").get_by_text("korekta.pdf")).to_be_visible()
    reply = case.interactions.get(direction=Interaction.Direction.OUTBOUND)
    assert [file.filename for file in reply.attachments.all()] == ["korekta.pdf"]
