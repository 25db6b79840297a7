"""An agent's day on the case list, on a laptop and a phone, in Polish and Estonian: overdue
work on top, one line per case, sorting, a confirmed bulk change and its undo, a saved view,
and a changed case announced without a reload."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case
from opiekun.cases.tests.factories import CaseFactory
from opiekun.sla.models import SlaTarget
from tests.browser.conftest import assert_accessible, screen_language, sign_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_agent_works_through_the_case_list(
    live_server: object, screen: Page, team_a: Team, agent_ann: User
) -> None:
    page = screen
    url = str(live_server.url)  # type: ignore[attr-defined]
    agent_ann.language = screen_language(page)
    agent_ann.save(update_fields=["language"])
    now = timezone.now()
    quiet = CaseFactory.create(
        team=team_a, assignee=agent_ann, subject="Faktura", updated_at=now - timedelta(hours=1)
    )
    recent = CaseFactory.create(
        team=team_a,
        assignee=agent_ann,
        subject="Reklamacja butów zimowych kupionych w sklepie internetowym w listopadzie, "
        "które po dwóch tygodniach noszenia rozkleiły się na obu podeszwach",
        updated_at=now,
    )
    overdue = CaseFactory.create(
        team=team_a, assignee=agent_ann, subject="Zwrot", updated_at=now - timedelta(days=2)
    )
    SlaTarget.objects.create(
        case=overdue, kind=SlaTarget.Kind.FIRST_RESPONSE, started_at=now - timedelta(days=3),
        due_at=now - timedelta(hours=2), budget=timedelta(hours=8),
    )  # fmt: skip
    sign_in_staff(page, url, agent_ann)
    page.clock.install()

    # My cases: the overdue case on top, every row one line but the subject.
    page.goto(f"{url}/cases/")
    rows = page.locator("tr[data-case-row]")
    expect(rows).to_have_count(3)
    expect(rows.first).to_have_attribute("data-href", f"/cases/{overdue.number}/")
    expect(rows.nth(1)).to_have_attribute("data-href", f"/cases/{recent.number}/")
    # The tabs' counts arrive just after the page.
    expect(page.locator("#tab-count-mine")).to_have_text("3")
    assert_accessible(page)
    if page.viewport_size and page.viewport_size["width"] >= 1366:
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        one_line = rows.nth(2).bounding_box()
        wrapped = rows.nth(1).bounding_box()
        assert one_line is not None
        assert wrapped is not None
        assert one_line["height"] < 40 < wrapped["height"]

    # A change made elsewhere is announced without a reload.
    Case.objects.filter(pk=quiet.pk).update(updated_at=timezone.now() + timedelta(seconds=1))
    page.clock.run_for(21_000)
    news = page.locator(".news-bar")
    expect(news).to_be_visible()
    news.get_by_role("button").click()
    expect(page.locator(".news-bar")).to_have_count(0)

    # Sort by priority from its column header; the sort stays in the address.
    page.locator("th[scope=col] a[href*='sort=priority']").click()
    expect(page).to_have_url(f"{url}/cases/?tab=mine&sort=priority")
    expect(page.locator("th[aria-sort=descending] a[href*='sort=priority_asc']")).to_have_count(1)

    # Tick two cases, make them urgent after confirming, then undo.
    page.locator(f"input[name=case][value='{quiet.number}']").check()
    page.locator(f"input[name=case][value='{overdue.number}']").check()
    page.locator("#bulk-form select[name=action]").select_option("priority")
    expect(page.locator("#bulk-form select[name=status]")).to_be_hidden()
    page.locator("#bulk-form select[name=priority]").select_option("urgent")
    page.locator("#bulk-form button[type=submit]").click()
    expect(page.locator(".bulk-confirm tbody tr")).to_have_count(2)
    assert_accessible(page)
    assert Case.objects.filter(priority=Case.Priority.URGENT).count() == 0
    page.locator(".bulk-confirm button[type=submit]").click()
    expect(page.locator(".undo-bar")).to_be_visible()
    assert_accessible(page)
    urgent = Case.objects.filter(priority=Case.Priority.URGENT).values_list("pk", flat=True)
    assert sorted(urgent) == sorted([quiet.pk, overdue.pk])
    page.locator(".undo-bar button[type=submit]").click()
    expect(page.locator(".undo-bar")).to_have_count(0)
    expect(page.locator(".list-notice")).to_be_visible()
    assert_accessible(page)
    assert Case.objects.filter(priority=Case.Priority.URGENT).count() == 0

    # Keep the list as a saved view; it shows beside the tabs.
    page.locator("details.saved-views summary").click()
    page.locator("input[name=view-name]").fill("Pilne")
    page.locator("form.save-view button[type=submit]").click()
    expect(page.locator("a.saved-view[aria-current=page]")).to_have_text("Pilne")
    assert_accessible(page)
