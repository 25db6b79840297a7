"""The case page for a day of work: properties that save as they change, tags as chips, the
reply box first with "send and set status", and the keyboard shortcuts dialog."""

from typing import Any

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Event, Interaction, Macro, Tag
from opiekun.cases.services import add_note, set_tags
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

HTMX = {"HX-Request": "true"}


def test_each_property_saves_on_change_and_keeps_a_save_button_without_javascript(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()

    for action in ("assign", "status", "priority", "kind", "team"):
        url = f"/cases/{case.number}/{action}/"
        assert (
            f'<form method="post" action="{url}" hx-post="{url}" hx-trigger="change" '
            'hx-target="#case-controls" hx-swap="outerHTML"'
        ) in html
    noscript_save = '<noscript><button type="submit" class="secondary">Save</button></noscript>'
    assert html.count(noscript_save) == 5
    assert html.count(">Save</button>") == 5


def test_a_saved_property_says_so_in_the_returned_panel(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    html = client.post(
        f"/cases/{case.number}/status/", {"status": "pending_internal"}, headers=HTMX
    ).content.decode()

    status_form = html[html.index(f'action="/cases/{case.number}/status/"') :]
    status_form = status_form[: status_form.index("</form>")]
    assert '<span class="control-state saved" data-control-state>Saved</span>' in status_form
    assert html.count("control-state saved") == 1
    assert '<span class="badge status-pending_internal">' in html  # the header, out of band
    # Only the timeline's list comes along (out of band), not a second timeline section.
    assert '<ol id="timeline" class="timeline" hx-swap-oob="true">' in html
    assert "case-timeline" not in html


def test_an_invalid_property_comes_back_with_its_error_in_the_users_language(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a, priority=Case.Priority.NORMAL)
    agent_ann.language = "pl"
    agent_ann.save()
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/priority/", {"priority": "asap"}, headers=HTMX)

    assert response.status_code == 200
    assert "Wybierz poprawną wartość." in response.content.decode()
    assert "control-state saved" not in response.content.decode()
    case.refresh_from_db()
    assert case.priority == Case.Priority.NORMAL
    assert not Event.objects.filter(case=case).exists()


def test_assign_to_me_is_offered_to_a_team_member_who_does_not_have_the_case(
    client: Client, agent_ann: User, lead_lee: User, team_a: Team
) -> None:
    theirs = CaseFactory.create(team=team_a, assignee=lead_lee)
    mine = CaseFactory.create(team=team_a, assignee=agent_ann)
    client.force_login(agent_ann)

    offered = client.get(f"/cases/{theirs.number}/").content.decode()
    not_offered = client.get(f"/cases/{mine.number}/").content.decode()
    taken = client.post(
        f"/cases/{theirs.number}/assign/", {"agent": agent_ann.pk}, headers=HTMX
    ).content.decode()

    assert f'<input type="hidden" name="agent" value="{agent_ann.pk}">' in offered
    assert 'data-shortcut="assign-me"' in offered
    assert 'data-shortcut="assign-me"' not in not_offered
    assert 'data-shortcut="assign-me"' not in taken
    theirs.refresh_from_db()
    assert theirs.assignee == agent_ann


def test_tags_are_chips_each_removable_on_its_own(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    set_tags(case, names=["zwrot", "vip"], by=agent_ann)
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()

    assert '<input type="hidden" name="remove" value="vip">' in html
    assert 'aria-label="Remove the tag zwrot"' in html
    assert f'hx-get="/cases/{case.number}/tags/suggestions/"' in html


def test_adding_a_tag_keeps_the_ones_someone_else_just_added(
    client: Client, agent_ann: User, lead_lee: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    set_tags(case, names=["zwrot"], by=lead_lee)  # after Ann's page was drawn
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/tags/", {"add": "Faktura"}, headers=HTMX)

    assert sorted(case.tags.values_list("name", flat=True)) == ["faktura", "zwrot"]
    event = Event.objects.filter(case=case).latest("id")
    assert (event.actor, event.payload) == (agent_ann, {"added": ["faktura"], "removed": []})
    html = response.content.decode()
    assert '<input type="hidden" name="remove" value="faktura">' in html
    assert "control-state saved" in html


def test_removing_a_chip_removes_only_that_tag(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    set_tags(case, names=["zwrot", "vip"], by=agent_ann)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/tags/", {"remove": "VIP"})

    assert response.status_code == 302
    assert list(case.tags.values_list("name", flat=True)) == ["zwrot"]
    event = Event.objects.filter(case=case).latest("id")
    assert event.payload == {"added": [], "removed": ["vip"]}


def test_tag_suggestions_are_existing_tags_the_case_does_not_have(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    set_tags(case, names=["zwrot"], by=agent_ann)
    Tag.objects.bulk_create([Tag(name="zwrot-towaru"), Tag(name="faktura"), Tag(name="vip")])
    client.force_login(agent_ann)

    response = client.get(
        f"/cases/{case.number}/tags/suggestions/", {"add": "vip, ZWR"}, headers=HTMX
    )

    assert response.content.decode().strip() == '<option value="zwrot-towaru"></option>'


def test_tag_suggestions_of_another_teams_case_are_refused(
    client: Client, agent_otto: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    Tag.objects.create(name="tajne")
    client.force_login(agent_otto)

    response = client.get(f"/cases/{case.number}/tags/suggestions/", {"add": "ta"})

    assert response.status_code == 404


def customer_with_email() -> Any:
    customer = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    return customer


def test_send_and_resolve_sends_the_reply_then_resolves(
    client: Client, agent_ann: User, team_a: Team, django_capture_on_commit_callbacks: Any
) -> None:
    case = CaseFactory.create(team=team_a, customer=customer_with_email(), status="open")
    client.force_login(agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{case.number}/reply/", {"body": "Gotowe.", "then_status": "resolved"}
        )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.assignee) == (Case.Status.RESOLVED, agent_ann)
    reply = case.interactions.get(direction=Interaction.Direction.OUTBOUND)
    assert reply.body_text == "Gotowe."
    assert list(
        Event.objects.filter(case=case, kind=Event.Kind.STATUS).values_list(
            "payload__before", "payload__after"
        )
    ) == [("open", "pending_customer"), ("pending_customer", "resolved")]
    # The reply is the only message: resolving with a reply tells nobody twice.
    assert [message.to for message in mail.outbox] == [["jan@example.pl"]]


def test_the_pressed_send_and_set_button_wins_over_the_macros_status(
    client: Client, agent_ann: User, team_a: Team, django_capture_on_commit_callbacks: Any
) -> None:
    chosen = Macro.objects.create(name="Zamknij", team=team_a, set_status=Case.Status.RESOLVED)
    case = CaseFactory.create(team=team_a, status=Case.Status.OPEN)
    client.force_login(agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/cases/{case.number}/reply/",
            {"body": "Sprawdzam", "macro_id": chosen.pk, "then_status": "pending_internal"},
        )

    case.refresh_from_db()
    assert case.status == Case.Status.PENDING_INTERNAL


def test_an_unknown_status_to_set_refuses_the_reply_and_sends_nothing(
    client: Client, agent_ann: User, team_a: Team, django_capture_on_commit_callbacks: Any
) -> None:
    case = CaseFactory.create(team=team_a, customer=customer_with_email(), status="open")
    client.force_login(agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{case.number}/reply/", {"body": "Gotowe.", "then_status": "closed"}
        )

    assert response.status_code == 400
    assert not Interaction.objects.filter(case=case).exists()
    assert mail.outbox == []
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_the_reply_form_offers_send_and_set_buttons(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()

    assert (
        '<button type="submit" name="then_status" value="resolved" class="secondary">'
        "Resolved</button>"
    ) in html
    assert f'data-draft="{agent_ann.pk}:{case.number}:reply"' in html
    assert f'data-draft="{agent_ann.pk}:{case.number}:note"' in html


def test_an_htmx_reply_also_refreshes_the_header_and_the_panel(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a, status=Case.Status.OPEN)
    client.force_login(agent_ann)

    html = client.post(
        f"/cases/{case.number}/reply/", {"body": "Gotowe.", "then_status": "resolved"}, headers=HTMX
    ).content.decode()

    assert '<section id="compose" class="card compose" hx-swap-oob="true">' in html
    assert '<header id="case-header" class="case-header card" hx-swap-oob="true">' in html
    assert '<section id="case-controls" class="card controls"' in html
    assert 'hx-swap-oob="true"\n' in html[html.index('<section id="case-controls"') :][:200]
    assert '<span class="badge status-resolved">Resolved</span>' in html
    assert "Assigned to Ann" in html


def test_the_reply_box_comes_before_the_timeline(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    InteractionFactory.create(case=case, body_text="Gdzie paczka?")
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()

    assert html.index('id="compose"') < html.index('id="note"') < html.index('id="timeline"')


def test_an_invalid_htmx_note_comes_back_out_of_band_with_its_error(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    html = client.post(f"/cases/{case.number}/note/", {"note-body": ""}, headers=HTMX)

    text = html.content.decode()
    assert '<section id="note" class="card compose internal" hx-swap-oob="true">' in text
    assert "<details open data-note>" in text
    assert "This field is required." in text
    assert not Interaction.objects.filter(case=case).exists()


def test_the_case_page_asks_no_more_queries_for_a_longer_timeline(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    short = CaseFactory.create(team=team_a)
    long = CaseFactory.create(team=team_a, customer=short.customer)
    for case, items in ((short, 1), (long, 8)):
        for number in range(items):
            InteractionFactory.create(case=case)
            add_note(case, by=agent_ann, body_text=f"Notatka {number}")
        set_tags(case, names=[f"tag{number}" for number in range(items)], by=agent_ann)
    client.force_login(agent_ann)
    client.get(f"/cases/{short.number}/")

    counts = []
    for case in (short, long):
        with CaptureQueriesContext(connection) as queries:
            client.get(f"/cases/{case.number}/")
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_the_panel_fetches_the_teams_and_agents_once(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)
    client.get(f"/cases/{case.number}/")

    with CaptureQueriesContext(connection) as queries:
        client.get(f"/cases/{case.number}/")

    sql = [query["sql"] for query in queries.captured_queries]
    teams = 'FROM "accounts_team" ORDER BY'
    agents = 'FROM "accounts_user" INNER JOIN "accounts_team_members"'
    assert (sum(teams in text for text in sql), sum(agents in text for text in sql)) == (1, 1)


def test_desk_pages_carry_the_shortcuts_dialog_and_its_script(
    client: Client, agent_ann: User
) -> None:
    agent_ann.language = "pl"
    agent_ann.save()
    client.force_login(agent_ann)

    response = client.get("/cases/")

    html = response.content.decode()
    assert '<dialog id="shortcuts" class="shortcuts" aria-labelledby="shortcuts-title"' in html
    assert '<script src="/static/cases/shortcuts.js" nonce="' in html
    assert "<dt><kbd>r</kbd></dt>" in html
