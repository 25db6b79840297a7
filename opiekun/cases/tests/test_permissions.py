"""Who may do what on the desk: every view and every role, on a case of team A.

Ann and Lee (team A), Maja (manager) and Adam (admin) may; Otto (team B) gets 404 as if the
case did not exist; anonymous visitors are sent to log in. A refusal changes nothing.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, CaseLink, Event, Interaction, Presence
from opiekun.cases.services import mark_delivery, store_attachment
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

ROLES = ["anonymous", "agent_ann", "agent_otto", "lead_lee", "manager_maja", "admin_adam"]
ALLOWED = {"agent_ann", "lead_lee", "manager_maja", "admin_adam"}


@dataclass
class World:
    case: Case
    other: Case
    inbound: Interaction
    failed: Interaction
    link: CaseLink
    attachment_id: int


@pytest.fixture
def world(team_a: Team, agent_ann: User, lead_lee: User) -> World:
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    case = CaseFactory.create(team=team_a, customer=customer, status=Case.Status.OPEN)
    other = CaseFactory.create(team=team_a, customer=customer)
    third = CaseFactory.create(team=team_a, customer=customer)
    inbound = InteractionFactory.create(case=case, body_text="Pytanie")
    failed = InteractionFactory.create(
        case=case,
        direction=Interaction.Direction.OUTBOUND,
        delivery_status=Interaction.DeliveryStatus.QUEUED,
    )
    mark_delivery(failed, status=Interaction.DeliveryStatus.FAILED, error="timeout")
    attachment = store_attachment(inbound, filename="a.pdf", content=b"%PDF", content_type="")
    link = CaseLink.objects.create(source=case, target=third)
    return World(case, other, inbound, failed, link, attachment.pk)


def snapshot() -> dict[str, Any]:
    return {
        "cases": sorted(
            Case.objects.values_list(
                "number", "status", "priority", "kind", "team", "assignee", "merged_into"
            )
        ),
        "tags": sorted(Case.tags.through.objects.values_list("case_id", "tag_id")),
        "interactions": sorted(
            Interaction.objects.values_list("pk", "case", "delivery_status", "body_text")
        ),
        "events": Event.objects.count(),
        "links": sorted(CaseLink.objects.values_list("source", "target")),
        "presence": sorted(Presence.objects.values_list("user", "activity")),
        "mail": len(mail.outbox),
    }


def request_for(action: str, world: World, lead: User) -> tuple[str, str, dict[str, Any]]:
    number = world.case.number
    base = f"/cases/{number}"
    requests: dict[str, tuple[str, str, dict[str, Any]]] = {
        "list": ("get", "/cases/?tab=all", {}),
        "detail": ("get", f"{base}/", {}),
        "assign": ("post", f"{base}/assign/", {"agent": lead.pk}),
        "status": ("post", f"{base}/status/", {"status": "resolved"}),
        "priority": ("post", f"{base}/priority/", {"priority": "urgent"}),
        "kind": ("post", f"{base}/kind/", {"kind": "complaint"}),
        "team": ("post", f"{base}/team/", {"team": world.case.team_id}),
        "tags": ("post", f"{base}/tags/", {"tags": "vip"}),
        "reply": (
            "post",
            f"{base}/reply/",
            {"body": "Odpowiedź", "attachments": [SimpleUploadedFile("x.txt", b"x")]},
        ),
        "note": ("post", f"{base}/note/", {"note-body": "Notatka"}),
        "macro": ("get", f"{base}/macro/", {"body": "Tekst"}),
        "presence": ("post", f"{base}/presence/", {}),
        "merge_form": ("get", f"{base}/merge/", {}),
        "merge": ("post", f"{base}/merge/", {"into": world.other.number}),
        "split": ("post", f"{base}/interactions/{world.inbound.pk}/split/", {}),
        "link": (
            "post",
            f"{base}/links/",
            {"link-other": world.other.number, "link-kind": "related"},
        ),
        "unlink": ("post", f"{base}/links/{world.link.pk}/remove/", {}),
        "retry": ("post", f"{base}/interactions/{world.failed.pk}/retry/", {}),
        "attachment": ("get", f"{base}/attachments/{world.attachment_id}/", {}),
    }
    return requests[action]


READS = {"list", "detail", "macro", "merge_form", "attachment"}
# The team control posts the case's own team: allowed, but there is nothing to change.
UNCHANGING = READS | {"team"}
ACTIONS = [
    "list",
    "detail",
    "assign",
    "status",
    "priority",
    "kind",
    "team",
    "tags",
    "reply",
    "note",
    "macro",
    "presence",
    "merge_form",
    "merge",
    "split",
    "link",
    "unlink",
    "retry",
    "attachment",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_authorization_matrix(
    client: Client,
    request: pytest.FixtureRequest,
    world: World,
    lead_lee: User,
    django_capture_on_commit_callbacks: Any,
    role: str,
    action: str,
) -> None:
    for persona in ROLES[1:]:
        request.getfixturevalue(persona)
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    method, url, data = request_for(action, world, lead_lee)
    before = snapshot()

    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(url, data)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif role in ALLOWED:
        assert response.status_code in {200, 302}
    elif action == "list":
        # The list is open to all staff; Otto's shows none of team A's cases.
        assert response.status_code == 200
        assert response.context["page"].items == []
    else:
        assert response.status_code == 404
    changed = snapshot() != before
    assert changed == (role in ALLOWED and action not in UNCHANGING)


@pytest.mark.parametrize("role", ["agent_ann", "lead_lee"])
def test_an_agent_only_lists_cases_of_their_teams(
    client: Client, request: pytest.FixtureRequest, team_a: Team, team_b: Team, role: str
) -> None:
    CaseFactory.create(team=team_b)
    mine = CaseFactory.create(team=team_a)
    client.force_login(request.getfixturevalue(role))

    response = client.get("/cases/?tab=all")

    assert [case.number for case in response.context["page"].items] == [mine.number]


def test_a_guessed_number_from_another_team_is_404_for_every_view(
    client: Client, agent_otto: User, world: World
) -> None:
    client.force_login(agent_otto)

    responses = [
        client.get(f"/cases/{world.case.number}/"),
        client.get(f"/cases/{world.case.number}/attachments/{world.attachment_id}/"),
        client.post(f"/cases/{world.case.number}/presence/"),
        client.get("/cases/2026-999999/"),
    ]

    assert [response.status_code for response in responses] == [404, 404, 404, 404]
