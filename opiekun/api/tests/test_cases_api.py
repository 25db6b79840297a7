from datetime import UTC, datetime, timedelta
from typing import Any

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opiekun.accounts.models import Team, User
from opiekun.api.tests.conftest import ClientFor
from opiekun.cases.models import Case, Channel, Event, Interaction, Tag
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.customers.models import Customer, Identity
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

T0 = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def numbers(body: dict[str, Any]) -> list[str]:
    return [item["number"] for item in body["items"]]


# Listing


def test_list_shows_only_visible_cases_newest_first(
    team_a: Team, team_b: Team, agent_ann: User, client_for: ClientFor
) -> None:
    older = CaseFactory.create(team=team_a, updated_at=T0)
    newer = CaseFactory.create(team=team_a, updated_at=T0 + timedelta(hours=1))
    CaseFactory.create(team=team_b, updated_at=T0 + timedelta(hours=2))

    response = client_for(agent_ann).get("/api/v1/cases")

    assert response.status_code == 200
    body = response.json()
    assert numbers(body) == [newer.number, older.number]
    assert (body["next_cursor"], body["previous_cursor"]) == (None, None)


def test_list_item_carries_the_case_fields(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    customer = CustomerFactory.create(name="Jan Kowalski")
    case = CaseFactory.create(
        team=team_a,
        customer=customer,
        assignee=agent_ann,
        subject="Zwrot",
        status=Case.Status.OPEN,
        created_at=T0,
        updated_at=T0,
    )
    case.tags.add(Tag.objects.create(name="zwrot"))

    item = client_for(agent_ann).get("/api/v1/cases").json()["items"][0]

    assert item == {
        "number": case.number,
        "subject": "Zwrot",
        "status": "open",
        "priority": "normal",
        "kind": "question",
        "channel": "email",
        "language": "pl",
        "team": {"id": team_a.pk, "name": "Team A"},
        "assignee": {"id": agent_ann.pk, "username": "ann", "name": "Ann"},
        "customer": {"id": customer.pk, "name": "Jan Kowalski"},
        "tags": ["zwrot"],
        "created_at": "2026-06-01T08:00:00Z",
        "updated_at": "2026-06-01T08:00:00Z",
        "first_response_at": None,
        "resolved_at": None,
        "closed_at": None,
    }


def test_list_filters_mirror_case_filters(
    team_a: Team, agent_ann: User, lead_lee: User, client_for: ClientFor
) -> None:
    wanted = CaseFactory.create(
        team=team_a, status=Case.Status.OPEN, priority=Case.Priority.HIGH, assignee=None
    )
    wanted.tags.add(Tag.objects.create(name="vip"))
    CaseFactory.create(
        team=team_a, status=Case.Status.OPEN, priority=Case.Priority.HIGH, assignee=lead_lee
    ).tags.add(Tag.objects.get(name="vip"))
    CaseFactory.create(team=team_a, status=Case.Status.CLOSED, priority=Case.Priority.HIGH)

    response = client_for(agent_ann).get(
        "/api/v1/cases",
        {
            "status": "open",
            "priority": "high",
            "assignee": "none",
            "tag": "vip",
            "team": str(team_a.pk),
        },
    )

    assert response.status_code == 200
    assert numbers(response.json()) == [wanted.number]


def test_list_filters_by_assignee_id_and_creation_days(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    mine = CaseFactory.create(team=team_a, assignee=agent_ann, created_at=T0)
    CaseFactory.create(team=team_a, assignee=agent_ann, created_at=T0 - timedelta(days=3))

    response = client_for(agent_ann).get(
        "/api/v1/cases",
        {"assignee": str(agent_ann.pk), "created_from": "2026-06-01", "created_to": "2026-06-01"},
    )

    assert numbers(response.json()) == [mine.number]


def test_list_pages_with_cursors(team_a: Team, agent_ann: User, client_for: ClientFor) -> None:
    cases = [
        CaseFactory.create(team=team_a, updated_at=T0 + timedelta(minutes=i)) for i in range(5)
    ]
    client = client_for(agent_ann)

    first = client.get("/api/v1/cases", {"limit": 2}).json()
    second = client.get("/api/v1/cases", {"limit": 2, "cursor": first["next_cursor"]}).json()
    back = client.get("/api/v1/cases", {"limit": 2, "cursor": second["previous_cursor"]}).json()

    assert numbers(first) == [cases[4].number, cases[3].number]
    assert numbers(second) == [cases[2].number, cases[1].number]
    assert numbers(back) == numbers(first)
    assert back["previous_cursor"] is None


def test_list_limit_above_100_is_refused(agent_ann: User, client_for: ClientFor) -> None:
    response = client_for(agent_ann).get("/api/v1/cases", {"limit": 101})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Some fields are missing or not valid: limit.",
        "code": "invalid",
    }


def test_list_with_a_forged_cursor_is_400(agent_ann: User, client_for: ClientFor) -> None:
    response = client_for(agent_ann).get("/api/v1/cases", {"cursor": "eyJvIjpbXX0.forged"})

    assert response.status_code == 400
    assert response.json() == {
        "detail": "This cursor is not valid for this list; start again from the first page.",
        "code": "invalid_cursor",
    }


def test_list_reads_cases_in_a_fixed_number_of_queries(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    for _ in range(5):
        CaseFactory.create(team=team_a, assignee=agent_ann).tags.add(
            Tag.objects.get_or_create(name="x")[0]
        )
    client = client_for(agent_ann)
    client.get("/api/v1/cases")  # stamps last_used_at once
    counts = {}

    for limit in (2, 5):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/cases", {"limit": limit})
        assert len(response.json()["items"]) == limit
        counts[limit] = len(queries)

    # Token, user, the page, and its tags, teams and assignees: the same for any page size.
    assert counts[2] == counts[5] <= 6


# Opening


def test_open_case_for_a_new_customer_by_email(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    response = client_for(agent_ann).post(
        "/api/v1/cases",
        {
            "customer": {"email": "Nowy@Example.PL", "name": "Nowy Klient"},
            "team": team_a.pk,
            "subject": "Gdzie paczka?",
            "body_html": "<p>Dzień dobry,</p><p>gdzie <b>paczka</b>?<script>x()</script></p>",
            "priority": "high",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get(number=body["number"])
    customer = Customer.objects.get(identities__value="nowy@example.pl")
    assert (case.customer, case.team, case.channel, case.priority, case.subject) == (
        customer,
        team_a,
        Channel.API,
        Case.Priority.HIGH,
        "Gdzie paczka?",
    )
    assert customer.name == "Nowy Klient"
    first = Interaction.objects.get(case=case)
    assert (first.direction, first.channel, first.customer, first.author) == (
        Interaction.Direction.INBOUND,
        Channel.API,
        customer,
        None,
    )
    assert first.body_html == "<p>Dzień dobry,</p><p>gdzie <b>paczka</b>?</p>"
    assert first.body_text == "Dzień dobry,\ngdzie paczka?"
    assert first.meta == {"logged_by": agent_ann.pk}
    assert list(Event.objects.filter(case=case).values_list("kind", "actor")) == [
        (Event.Kind.CREATED, agent_ann.pk)
    ]
    assert body["customer"] == {"id": customer.pk, "name": "Nowy Klient"}


def test_open_case_for_a_known_customer_by_id(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    customer = CustomerFactory.create(language="et")

    response = client_for(agent_ann).post(
        "/api/v1/cases",
        {
            "customer": customer.pk,
            "team": team_a.pk,
            "subject": "Arve",
            "body_text": "Tere!",
            "channel": "phone",
            "kind": "request",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    case = Case.objects.get(number=response.json()["number"])
    assert (case.customer, case.language, case.channel, case.kind) == (
        customer,
        "et",
        Channel.PHONE,
        Case.Kind.REQUEST,
    )
    assert list(case.interactions.values_list("body_text", "body_html")) == [("Tere!", "")]


def test_open_case_is_routed_by_the_teams_rule(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    team_a.routing = Team.Routing.ROUND_ROBIN
    team_a.save()

    response = client_for(agent_ann).post(
        "/api/v1/cases",
        {
            "customer": CustomerFactory.create().pk,
            "team": team_a.pk,
            "subject": "Pytanie",
            "body_text": "Pytanie",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["assignee"]["username"] == "ann"


def test_open_case_in_a_team_the_agent_is_not_in_is_403(
    team_a: Team, agent_otto: User, client_for: ClientFor
) -> None:
    customer = CustomerFactory.create()

    response = client_for(agent_otto).post(
        "/api/v1/cases",
        {"customer": customer.pk, "team": team_a.pk, "subject": "X", "body_text": "X"},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json() == {
        "detail": "You may only open cases in a team you work in.",
        "code": "permission_denied",
    }
    assert Case.objects.count() == 0


def test_open_case_in_an_unknown_team_is_422(agent_ann: User, client_for: ClientFor) -> None:
    response = client_for(agent_ann).post(
        "/api/v1/cases",
        {"customer": {"phone": "600 100 200"}, "team": 999999, "subject": "X", "body_text": "X"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json() == {"detail": "No such team.", "code": "invalid"}
    assert Customer.objects.count() == 0


def test_open_case_without_body_or_customer_identity_is_422(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    client = client_for(agent_ann)

    no_body = client.post(
        "/api/v1/cases",
        {"customer": {"email": "a@example.pl"}, "team": team_a.pk, "subject": "X"},
        content_type="application/json",
    )
    no_identity = client.post(
        "/api/v1/cases",
        {"customer": {"name": "Anonim"}, "team": team_a.pk, "subject": "X", "body_text": "X"},
        content_type="application/json",
    )
    bad_email = client.post(
        "/api/v1/cases",
        {"customer": {"email": "nie-email"}, "team": team_a.pk, "subject": "X", "body_text": "X"},
        content_type="application/json",
    )

    assert (no_body.status_code, no_body.json()) == (
        422,
        {"detail": "Write the message in body_text or body_html.", "code": "invalid"},
    )
    assert (no_identity.status_code, no_identity.json()["code"]) == (422, "invalid")
    assert (bad_email.status_code, bad_email.json()) == (
        422,
        {"detail": "“nie-email” is not an email address.", "code": "invalid"},
    )
    assert (Case.objects.count(), Customer.objects.count()) == (0, 0)


def test_open_case_missing_fields_names_them(agent_ann: User, client_for: ClientFor) -> None:
    response = client_for(agent_ann).post(
        "/api/v1/cases", {"customer": 1}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Some fields are missing or not valid: subject, team.",
        "code": "invalid",
    }


# Reading and changing


def test_get_case_of_another_team_is_404(
    team_b: Team, agent_ann: User, client_for: ClientFor
) -> None:
    case = CaseFactory.create(team=team_b)

    response = client_for(agent_ann).get(f"/api/v1/cases/{case.number}")

    assert response.status_code == 404
    assert response.json() == {"detail": "No such case.", "code": "not_found"}


def test_patch_changes_every_field_through_the_services(
    team_a: Team, agent_ann: User, lead_lee: User, client_for: ClientFor
) -> None:
    case = CaseFactory.create(team=team_a)

    response = client_for(lead_lee).patch(
        f"/api/v1/cases/{case.number}",
        {
            "status": "pending_internal",
            "priority": "urgent",
            "kind": "complaint",
            "assignee": agent_ann.pk,
            "tags": ["Zwrot", "vip"],
        },
        content_type="application/json",
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["priority"], body["kind"], body["tags"]) == (
        "pending_internal",
        "urgent",
        "complaint",
        ["vip", "zwrot"],
    )
    assert body["assignee"]["id"] == agent_ann.pk
    assert sorted(
        Event.objects.filter(case=case, actor=lead_lee).values_list("kind", flat=True)
    ) == sorted(
        [
            Event.Kind.ASSIGNED,
            Event.Kind.STATUS,
            Event.Kind.PRIORITY,
            Event.Kind.KIND,
            Event.Kind.TAGGED,
        ]
    )


def test_patch_assignee_null_unassigns_and_absent_leaves_it(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    case = CaseFactory.create(team=team_a, assignee=agent_ann, status=Case.Status.OPEN)
    client = client_for(agent_ann)

    kept = client.patch(
        f"/api/v1/cases/{case.number}", {"priority": "low"}, content_type="application/json"
    )
    cleared = client.patch(
        f"/api/v1/cases/{case.number}", {"assignee": None}, content_type="application/json"
    )

    assert kept.json()["assignee"]["id"] == agent_ann.pk
    assert cleared.json()["assignee"] is None
    case.refresh_from_db()
    assert case.assignee is None


def test_patch_assignee_outside_the_team_is_422_and_changes_nothing(
    team_a: Team, agent_ann: User, agent_otto: User, client_for: ClientFor
) -> None:
    case = CaseFactory.create(team=team_a)

    response = client_for(agent_ann).patch(
        f"/api/v1/cases/{case.number}",
        {"priority": "urgent", "assignee": agent_otto.pk},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json() == {
        "detail": "This person cannot be assigned cases of the team.",
        "code": "invalid",
    }
    case.refresh_from_db()
    assert (case.assignee, case.priority) == (None, Case.Priority.NORMAL)
    assert Event.objects.filter(case=case).count() == 0


def test_patch_with_an_unknown_status_is_422(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    case = CaseFactory.create(team=team_a)

    response = client_for(agent_ann).patch(
        f"/api/v1/cases/{case.number}", {"status": "done"}, content_type="application/json"
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "Some fields are missing or not valid: status."


# Interactions


def test_interactions_are_listed_oldest_first_with_both_bodies(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    case = CaseFactory.create(team=team_a)
    first = InteractionFactory.create(
        case=case, started_at=T0, body_text="Dzień dobry", body_html="<p>Dzień dobry</p>"
    )
    second = InteractionFactory.create(
        case=case,
        started_at=T0 + timedelta(hours=1),
        direction=Interaction.Direction.OUTBOUND,
        author=agent_ann,
        body_text="Sprawdzam.",
    )

    response = client_for(agent_ann).get(f"/api/v1/cases/{case.number}/interactions")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["id"] for item in items] == [first.pk, second.pk]
    assert items[0] == {
        "id": first.pk,
        "channel": "email",
        "direction": "inbound",
        "author": None,
        "subject": "",
        "body_text": "Dzień dobry",
        "body_html": "<p>Dzień dobry</p>",
        "started_at": "2026-06-01T08:00:00Z",
        "ended_at": None,
        "handle_seconds": None,
        "delivery_status": "",
        "sent_at": None,
        "attachments": [],
    }
    assert items[1]["author"] == {"id": agent_ann.pk, "username": "ann", "name": "Ann"}


def test_reply_goes_to_the_customer_by_email(
    team_a: Team, agent_ann: User, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    customer = CustomerFactory.create(name="Jan")
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    case = CaseFactory.create(team=team_a, customer=customer, status=Case.Status.OPEN)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agent_ann).post(
            f"/api/v1/cases/{case.number}/interactions",
            {
                "type": "reply",
                "body_html": "<p>Paczka <em>wyszła</em> dziś.</p><img src=x onerror=y>",
            },
            content_type="application/json",
        )

    assert response.status_code == 201
    body = response.json()
    assert (body["direction"], body["body_text"], body["delivery_status"]) == (
        "outbound",
        "Paczka wyszła dziś.",
        "queued",
    )
    assert Interaction.objects.get(pk=body["id"]).delivery_status == "sent"
    assert body["body_html"] == '<p>Paczka <em>wyszła</em> dziś.</p><img src="x">'
    assert [message.to for message in mail.outbox] == [["jan@example.pl"]]
    case.refresh_from_db()
    assert case.status == Case.Status.PENDING_CUSTOMER


def test_note_stays_internal(
    team_a: Team, agent_ann: User, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    case = CaseFactory.create(team=team_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(agent_ann).post(
            f"/api/v1/cases/{case.number}/interactions",
            {"type": "note", "body_text": "Klient dzwonił wczoraj."},
            content_type="application/json",
        )

    assert response.status_code == 201
    note = Interaction.objects.get(case=case)
    assert (note.direction, note.channel, note.author, note.body_text) == (
        Interaction.Direction.INTERNAL,
        Channel.INTERNAL,
        agent_ann,
        "Klient dzwonił wczoraj.",
    )
    assert mail.outbox == []


def test_inbound_message_logged_by_an_integration_reopens_the_case(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    customer = CustomerFactory.create()
    case = CaseFactory.create(team=team_a, customer=customer, status=Case.Status.PENDING_CUSTOMER)

    response = client_for(agent_ann).post(
        f"/api/v1/cases/{case.number}/interactions",
        {"type": "inbound", "body_text": "Nadal nie mam paczki.", "subject": "Re: paczka"},
        content_type="application/json",
    )

    assert response.status_code == 201
    logged = Interaction.objects.get(case=case)
    assert (logged.direction, logged.channel, logged.customer, logged.author, logged.subject) == (
        Interaction.Direction.INBOUND,
        Channel.API,
        customer,
        None,
        "Re: paczka",
    )
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_interaction_of_an_unknown_type_is_422(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    case = CaseFactory.create(team=team_a)

    response = client_for(agent_ann).post(
        f"/api/v1/cases/{case.number}/interactions",
        {"type": "sms", "body_text": "x"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["detail"] == "Some fields are missing or not valid: type."
    assert Interaction.objects.count() == 0


def test_customer_identity_is_not_reused_across_customers(
    team_a: Team, agent_ann: User, client_for: ClientFor
) -> None:
    known = CustomerFactory.create(name="Znany")
    IdentityFactory.create(customer=known, kind=Identity.Kind.PHONE, value="+48600100200")

    response = client_for(agent_ann).post(
        "/api/v1/cases",
        {"customer": {"phone": "600 100 200"}, "team": team_a.pk, "subject": "X", "body_text": "X"},
        content_type="application/json",
    )

    assert response.json()["customer"] == {"id": known.pk, "name": "Znany"}
    assert Customer.objects.count() == 1
