"""Bulk changes from the case list: confirmed first, made through the case services (events,
"case_changed" reactions), each case access-checked, and undone on request."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.cases.models import BulkChange, Case, Event, Tag
from opiekun.cases.services import CaseChange, change_priority
from opiekun.cases.tests.factories import CaseFactory
from opiekun.core.plugins import plugged

CHANGES: list[tuple[str, str, Any, Any]] = []


def record(change: CaseChange) -> None:
    """The probe reaction: (case number, field, before, after)."""
    CHANGES.append((change.case.number, change.field, change.before, change.after))


@pytest.fixture(autouse=True)
def probe(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str, Any, Any]]]:
    config = apps.get_app_config("cases")
    plugs = {**config.plugs, "case_changed": [f"{__name__}.record"]}  # type: ignore[attr-defined]
    monkeypatch.setattr(config, "plugs", plugs, raising=False)
    plugged.cache_clear()
    CHANGES.clear()
    yield CHANGES
    plugged.cache_clear()


def post(client: Client, cases: list[Case], *, confirm: bool = True, **data: Any) -> Any:
    body = {"case": [case.number for case in cases], "next": "tab=team", **data}
    if confirm:
        body["confirm"] = "yes"
    return client.post("/cases/bulk/", body)


def statuses(*cases: Case) -> list[str]:
    return [Case.objects.get(pk=case.pk).status for case in cases]


def test_the_confirmation_shows_what_will_change_and_changes_nothing(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    first = CaseFactory.create(team=team_a, status=Case.Status.OPEN)
    second = CaseFactory.create(team=team_a, status=Case.Status.NEW)
    done = CaseFactory.create(team=team_a, status=Case.Status.RESOLVED)
    client.force_login(agent_ann)

    response = post(
        client, [first, second, done], confirm=False, action="status", status="resolved"
    )

    assert response.status_code == 200
    assert response.context["summary"] == "Set the status of 2 cases to Resolved."
    assert [(case.number, before, after) for case, before, after in response.context["rows"]] == [
        (first.number, "Open", "Resolved"),
        (second.number, "New", "Resolved"),
    ]
    assert response.context["staying"] == [done]
    assert statuses(first, second) == [Case.Status.OPEN, Case.Status.NEW]
    assert not Event.objects.exists()


def test_a_confirmed_change_goes_through_the_services_for_each_case(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    first = CaseFactory.create(team=team_a, status=Case.Status.OPEN)
    second = CaseFactory.create(team=team_a, status=Case.Status.NEW)
    client.force_login(agent_ann)

    response = post(client, [first, second], action="status", status="resolved")

    assert response.status_code == 302
    assert response["Location"] == "/cases/?tab=team"
    assert statuses(first, second) == [Case.Status.RESOLVED, Case.Status.RESOLVED]
    events = Event.objects.filter(kind=Event.Kind.STATUS).order_by("case_id")
    assert [(event.case_id, event.actor, event.payload) for event in events] == [
        (first.pk, agent_ann, {"before": "open", "after": "resolved"}),
        (second.pk, agent_ann, {"before": "new", "after": "resolved"}),
    ]
    assert sorted(CHANGES) == sorted(
        [
            (first.number, "status", "open", "resolved"),
            (second.number, "status", "new", "resolved"),
        ]
    )


def test_an_agent_cannot_bulk_change_another_teams_case(
    client: Client, agent_otto: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a, priority=Case.Priority.NORMAL)
    client.force_login(agent_otto)

    asked = post(client, [case], confirm=False, action="priority", priority="urgent")
    forced = post(client, [case], action="priority", priority="urgent")

    assert (asked.status_code, forced.status_code) == (404, 404)
    assert Case.objects.get(pk=case.pk).priority == Case.Priority.NORMAL
    assert not Event.objects.exists()
    assert not BulkChange.objects.exists()
    assert CHANGES == []


def test_only_the_visible_cases_of_a_mixed_choice_change(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    mine = CaseFactory.create(team=team_a)
    theirs = CaseFactory.create(team=team_b)
    client.force_login(agent_ann)

    post(client, [mine, theirs], action="priority", priority="high")

    assert [Case.objects.get(pk=case.pk).priority for case in (mine, theirs)] == [
        Case.Priority.HIGH,
        Case.Priority.NORMAL,
    ]
    assert list(Event.objects.values_list("case_id", flat=True)) == [mine.pk]


def test_undo_puts_each_case_back_as_it_was(client: Client, agent_ann: User, team_a: Team) -> None:
    low = CaseFactory.create(team=team_a, priority=Case.Priority.LOW)
    high = CaseFactory.create(team=team_a, priority=Case.Priority.HIGH)
    client.force_login(agent_ann)
    post(client, [low, high], action="priority", priority="urgent")
    change = BulkChange.objects.get()

    response = client.post(f"/cases/bulk/{change.pk}/undo/", {"next": "tab=team"})

    assert response.status_code == 302
    assert [Case.objects.get(pk=case.pk).priority for case in (low, high)] == [
        Case.Priority.LOW,
        Case.Priority.HIGH,
    ]
    undo_events = Event.objects.filter(kind=Event.Kind.PRIORITY).order_by("id")[2:]
    assert [(event.case_id, event.payload["after"]) for event in undo_events] == [
        (low.pk, "low"),
        (high.pk, "high"),
    ]
    assert BulkChange.objects.get().undone_at is not None


def test_undo_leaves_a_case_someone_changed_since(
    client: Client, agent_ann: User, lead_lee: User, team_a: Team
) -> None:
    kept, touched = (CaseFactory.create(team=team_a) for _ in range(2))
    client.force_login(agent_ann)
    post(client, [kept, touched], action="priority", priority="urgent")
    change_priority(Case.objects.get(pk=touched.pk), priority=Case.Priority.LOW, by=lead_lee)

    client.post(f"/cases/bulk/{BulkChange.objects.get().pk}/undo/")

    assert [Case.objects.get(pk=case.pk).priority for case in (kept, touched)] == [
        Case.Priority.NORMAL,
        Case.Priority.LOW,
    ]


def test_the_list_offers_the_undo_and_only_to_whoever_made_the_change(
    client: Client, agent_ann: User, lead_lee: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)
    post(client, [case], action="priority", priority="urgent")
    change = BulkChange.objects.get()

    offered = client.get("/cases/?tab=team").context["undo"]
    client.force_login(lead_lee)
    refused = client.post(f"/cases/bulk/{change.pk}/undo/")

    assert offered["change"] == change
    assert offered["text"] == "Set priority: 1 case changed."
    assert refused.status_code == 404
    assert Case.objects.get(pk=case.pk).priority == Case.Priority.URGENT


def test_assigning_skips_cases_of_teams_the_agent_is_not_in_and_undo_unassigns(
    client: Client, lead_lee: User, agent_ann: User, manager_maja: User, team_a: Team, team_b: Team
) -> None:
    fresh = CaseFactory.create(team=team_a, status=Case.Status.NEW)
    elsewhere = CaseFactory.create(team=team_b)
    client.force_login(manager_maja)

    post(client, [fresh, elsewhere], action="assign", agent=str(agent_ann.pk))
    fresh.refresh_from_db()
    assigned = (fresh.assignee, fresh.status)
    client.post(f"/cases/bulk/{BulkChange.objects.get().pk}/undo/")
    fresh.refresh_from_db()

    assert assigned == (agent_ann, Case.Status.OPEN)
    assert Case.objects.get(pk=elsewhere.pk).assignee is None
    assert (fresh.assignee, fresh.status) == (None, Case.Status.NEW)


def test_tags_are_added_and_removed_in_bulk_and_undone(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    tagged = CaseFactory.create(team=team_a)
    tagged.tags.add(Tag.objects.create(name="zwrot"))
    bare = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    post(client, [tagged, bare], action="add_tags", tags="Pilne, reklamacja")
    added = [sorted(case.tags.values_list("name", flat=True)) for case in (tagged, bare)]
    post(client, [tagged, bare], action="remove_tags", tags="zwrot, pilne")
    removed = [sorted(case.tags.values_list("name", flat=True)) for case in (tagged, bare)]
    client.post(f"/cases/bulk/{BulkChange.objects.order_by('-id').first().pk}/undo/")  # type: ignore[union-attr]
    undone = [sorted(case.tags.values_list("name", flat=True)) for case in (tagged, bare)]

    assert added == [["pilne", "reklamacja", "zwrot"], ["pilne", "reklamacja"]]
    assert removed == [["reklamacja"], ["reklamacja"]]
    assert undone == added


def test_merge_asks_which_case_to_keep_and_says_it_cannot_be_undone(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    older, newer = CaseFactory.create(team=team_a), CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = post(client, [older, newer], confirm=False, action="merge")

    html = response.content.decode()
    assert response.context["bulk"].into == older.number
    assert "A merge cannot be undone" in html
    assert f'name="into" value="{older.number}" checked' in html
    assert Case.objects.get(pk=newer.pk).merged_into is None


def test_a_confirmed_merge_folds_the_others_into_the_chosen_case_with_no_undo(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    first, second, third = (CaseFactory.create(team=team_a) for _ in range(3))
    client.force_login(agent_ann)

    post(client, [first, second, third], action="merge", into=second.number)

    merged = {case.number: case.merged_into_id for case in Case.objects.order_by("pk")}
    assert merged == {first.number: second.pk, second.number: None, third.number: second.pk}
    assert client.get("/cases/?tab=all").context["undo"] is None


def test_a_missing_value_is_refused_without_a_change(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = post(client, [case], action="status", status="")

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Case.Status.NEW
    assert not BulkChange.objects.exists()
