from typing import Any

import pytest
from django.core import mail
from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.accounts.tests.factories import TeamFactory
from opiekun.cases.models import Case, Channel, Event, Interaction
from opiekun.cases.selectors import fold_html, fold_text
from opiekun.cases.services import (
    add_note,
    add_reply,
    assign_case,
    change_status,
    mark_delivery,
    open_case,
    store_attachment,
)
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory


def test_timeline_shows_interactions_and_events_newest_first(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = open_case(
        customer=CustomerFactory.create(name="Jan Kowalski"),
        team=team_a,
        subject="Paczka",
        channel=Channel.EMAIL,
    )
    InteractionFactory.create(case=case, body_text="Gdzie jest paczka?\nNumer ZAM/1")
    assign_case(case, to=agent_ann, by=agent_ann)
    add_note(case, by=agent_ann, body_text="Sprawdzam w magazynie")
    client.force_login(agent_ann)

    response = client.get(f"/cases/{case.number}/")

    html = response.content.decode()
    assert response.status_code == 200
    order = [
        html.index("The system opened the case (Email)."),
        html.index("Gdzie jest paczka?\nNumer ZAM/1"),
        html.index("Ann took the case."),
        html.index("Sprawdzam w magazynie"),
    ]
    assert order == sorted(order, reverse=True)
    assert 'class="interaction internal channel-internal"' in html
    assert 'class="interaction inbound channel-email"' in html


def test_events_are_told_in_the_users_language(
    client: Client, agent_ann: User, lead_lee: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    assign_case(case, to=agent_ann, by=lead_lee)
    lead_lee.language = "pl"
    lead_lee.save()
    client.force_login(lead_lee)

    html = client.get(f"/cases/{case.number}/").content.decode()

    assert "Lee: przypisano zgłoszenie do: Ann." in html


def test_html_bodies_fold_quoted_history() -> None:
    main, quoted = fold_html("<p>Dziękuję</p><blockquote><p>Stara wiadomość</p></blockquote>")

    assert (main, quoted) == (
        "<p>Dziękuję</p>",
        "<blockquote><p>Stara wiadomość</p></blockquote>",
    )


def test_a_cut_inside_an_element_is_closed_again() -> None:
    main, quoted = fold_html("<div>Nowe<blockquote>Stare</blockquote></div>")

    assert (main, quoted) == ("<div>Nowe</div>", "<blockquote>Stare</blockquote>")


def test_text_bodies_fold_at_the_attribution_line() -> None:
    text = "Dzięki!\n\nW dniu 3.11.2026 Jan Kowalski pisze:\n> Dzień dobry\n> pytanie"

    assert fold_text(text) == (
        "Dzięki!",
        "W dniu 3.11.2026 Jan Kowalski pisze:\n> Dzień dobry\n> pytanie",
    )


def test_a_message_that_is_all_quote_is_not_folded() -> None:
    assert fold_text("> only a quote") == ("> only a quote", "")


def test_html_body_is_shown_with_history_in_details(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    InteractionFactory.create(
        case=case,
        body_text="",
        body_html="<p>Nowa treść</p><blockquote><p>Poprzednia</p></blockquote>",
    )
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()

    assert '<div class="body html"><p>Nowa treść</p></div>' in html
    assert (
        '<details class="quoted"><summary>Show quoted text</summary><div class="body html">'
        "<blockquote><p>Poprzednia</p></blockquote></div></details>"
    ) in html


def test_attachments_are_listed_with_download_links(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    interaction = InteractionFactory.create(case=case)
    attachment = store_attachment(
        interaction, filename="faktura.pdf", content=b"%PDF-1.4", content_type="application/pdf"
    )
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()

    assert (
        f'<a href="/cases/{case.number}/attachments/{attachment.pk}/" download>faktura.pdf</a>'
    ) in html


def test_failed_reply_shows_error_and_retry_requeues_it(
    client: Client,
    agent_ann: User,
    team_a: Team,
    django_capture_on_commit_callbacks: Any,
) -> None:
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    case = CaseFactory.create(team=team_a, customer=customer)
    reply = InteractionFactory.create(
        case=case,
        direction=Interaction.Direction.OUTBOUND,
        body_text="Odpowiedź",
        delivery_status=Interaction.DeliveryStatus.QUEUED,
    )
    mark_delivery(reply, status=Interaction.DeliveryStatus.FAILED, error="550 mailbox full")
    client.force_login(agent_ann)
    html = client.get(f"/cases/{case.number}/").content.decode()
    assert "Sending failed: 550 mailbox full" in html
    assert f'action="/cases/{case.number}/interactions/{reply.pk}/retry/"' in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{case.number}/interactions/{reply.pk}/retry/")

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.delivery_status == Interaction.DeliveryStatus.SENT
    assert [message.to for message in mail.outbox] == [["jan@example.pl"]]
    assert list(
        Event.objects.filter(case=case, kind=Event.Kind.DELIVERY).values_list(
            "payload__status", flat=True
        )
    ) == ["failed", "queued"]


def test_retry_leaves_a_sent_reply_alone(
    client: Client, agent_ann: User, team_a: Team, django_capture_on_commit_callbacks: Any
) -> None:
    case = CaseFactory.create(team=team_a)
    reply = InteractionFactory.create(
        case=case,
        direction=Interaction.Direction.OUTBOUND,
        delivery_status=Interaction.DeliveryStatus.SENT,
    )
    client.force_login(agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{case.number}/interactions/{reply.pk}/retry/")

    assert mail.outbox == []
    assert not Event.objects.filter(case=case, kind=Event.Kind.DELIVERY).exists()


CONTROLS = [
    ("status", {"status": "pending_internal"}, "status", "pending_internal", Event.Kind.STATUS),
    ("priority", {"priority": "urgent"}, "priority", "urgent", Event.Kind.PRIORITY),
    ("kind", {"kind": "complaint"}, "kind", "complaint", Event.Kind.KIND),
]


@pytest.mark.parametrize(("action", "data", "field", "value", "kind"), CONTROLS)
def test_controls_change_the_case_and_record_an_event(
    client: Client,
    agent_ann: User,
    team_a: Team,
    action: str,
    data: dict[str, str],
    field: str,
    value: str,
    kind: str,
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/{action}/", data)

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.number}/"
    case.refresh_from_db()
    assert getattr(case, field) == value
    event = Event.objects.get(case=case)
    assert (event.kind, event.actor, event.payload["after"]) == (kind, agent_ann, value)


def test_htmx_control_returns_the_panel_with_header_and_timeline(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = client.post(
        f"/cases/{case.number}/priority/", {"priority": "high"}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="case-controls"')
    assert '<header id="case-header" class="case-header card" hx-swap-oob="true">' in html
    assert '<ol id="timeline" class="timeline" hx-swap-oob="true">' in html
    assert "Ann changed the priority from Normal to High." in html


def test_assign_offers_only_agents_of_the_cases_team(
    client: Client, agent_ann: User, lead_lee: User, agent_otto: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    refused = client.post(f"/cases/{case.number}/assign/", {"agent": agent_otto.pk})
    accepted = client.post(f"/cases/{case.number}/assign/", {"agent": lead_lee.pk})

    assert refused.status_code == 400
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.assignee == lead_lee
    assert list(Event.objects.filter(case=case).values_list("kind", "actor", "payload")) == [
        (Event.Kind.ASSIGNED, agent_ann.pk, {"before": "", "after": "Lee", "after_id": lead_lee.pk})
    ]


def test_tags_are_set_from_a_comma_separated_list(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    client.post(f"/cases/{case.number}/tags/", {"tags": "Zwrot, faktura ,, zwrot"})

    assert sorted(case.tags.values_list("name", flat=True)) == ["faktura", "zwrot"]
    event = Event.objects.get(case=case)
    assert (event.kind, event.payload) == (
        Event.Kind.TAGGED,
        {"added": ["faktura", "zwrot"], "removed": []},
    )


def test_moving_a_case_to_another_team_sends_the_agent_back_to_the_list(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    case = CaseFactory.create(team=team_a, assignee=agent_ann)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/team/", {"team": team_b.pk})

    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    case.refresh_from_db()
    assert (case.team, case.assignee) == (team_b, None)
    assert list(Event.objects.filter(case=case).values_list("kind", "payload")) == [
        (Event.Kind.ASSIGNED, {"before": "Ann", "after": "", "after_id": None}),
        (Event.Kind.TEAM, {"before": "Team A", "after": "Team B"}),
    ]


def test_merged_case_number_leads_to_the_case_it_was_merged_into(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    into = CaseFactory.create(team=team_a)
    merged = CaseFactory.create(team=team_a, merged_into=into)
    client.force_login(agent_ann)

    response = client.get(f"/cases/{merged.number}/")

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{into.number}/"


def test_reply_and_status_are_visible_after_sending(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a, status=Case.Status.OPEN)
    add_reply(case, by=agent_ann, body_text="Paczka wyszła wczoraj.")
    change_status(case, status=Case.Status.RESOLVED, by=agent_ann)
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()

    assert 'class="interaction outbound channel-email"' in html
    assert '<span class="badge delivery queued">Queued</span>' in html
    assert '<span class="badge status-resolved">Resolved</span>' in html


def test_another_teams_agent_cannot_be_chosen_even_with_a_team_of_one(
    client: Client, agent_ann: User
) -> None:
    lonely = TeamFactory.create(name="Solo")
    case = CaseFactory.create(team=lonely)
    client.force_login(agent_ann)

    assert client.get(f"/cases/{case.number}/").status_code == 404
