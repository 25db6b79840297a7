from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Interaction, Presence
from opiekun.cases.selectors import others_present, others_replying
from opiekun.cases.services import SomeoneElseReplying, mark_presence, reply_from_desk
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture
def case(team_a: Team) -> Case:
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    return CaseFactory.create(team=team_a, customer=customer)


def test_the_heartbeat_records_viewing_and_names_the_others(
    client: Client, case: Case, agent_ann: User, lead_lee: User
) -> None:
    mark_presence(case, user=lead_lee)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/presence/", headers=HTMX)

    presence = Presence.objects.get(case=case, user=agent_ann)
    assert presence.activity == Presence.Activity.VIEWING
    html = response.content.decode()
    assert "Lee is viewing this case." in html
    assert "Ann is viewing" not in html
    assert '<div id="reply-warning" hx-swap-oob="true">' in html


def test_typing_marks_replying_and_the_heartbeat_keeps_it(
    client: Client, case: Case, agent_ann: User, lead_lee: User
) -> None:
    client.force_login(lead_lee)
    client.post(f"/cases/{case.number}/presence/", {"activity": "replying"}, headers=HTMX)
    client.post(f"/cases/{case.number}/presence/", headers=HTMX)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/presence/", headers=HTMX)

    html = response.content.decode()
    assert '<div class="presence replying" role="status">' in html
    assert "Lee is replying to the customer." in html
    assert "Lee is replying to this customer now." in html


def test_replying_lapses_when_typing_stopped_long_ago(
    case: Case, agent_ann: User, lead_lee: User, settings: Any
) -> None:
    mark_presence(case, user=lead_lee, replying=True)
    Presence.objects.filter(user=lead_lee).update(
        replying_at=timezone.now() - timedelta(seconds=settings.PRESENCE_SECONDS + 1)
    )

    presence = mark_presence(case, user=lead_lee)

    assert presence.activity == Presence.Activity.VIEWING
    assert others_replying(case, agent_ann) == []
    assert [item.user for item in others_present(case, agent_ann)] == [lead_lee]


def test_someone_who_left_is_not_shown(
    case: Case, agent_ann: User, lead_lee: User, settings: Any
) -> None:
    mark_presence(case, user=lead_lee, replying=True)
    Presence.objects.filter(user=lead_lee).update(
        seen_at=timezone.now() - timedelta(seconds=settings.PRESENCE_SECONDS + 1)
    )

    assert others_present(case, agent_ann) == []


def test_the_reply_form_warns_while_someone_else_replies(
    client: Client, case: Case, agent_ann: User, lead_lee: User
) -> None:
    mark_presence(case, user=lead_lee, replying=True)
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()

    assert "Lee is replying to this customer now." in html
    assert 'name="send_anyway"' in html


def test_a_reply_is_refused_while_someone_else_replies(
    client: Client,
    case: Case,
    agent_ann: User,
    lead_lee: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mark_presence(case, user=lead_lee, replying=True)
    client.force_login(agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{case.number}/reply/", {"body": "Już odpowiadam"})

    assert response.status_code == 409
    assert "Someone else is writing to this customer right now." in response.content.decode()
    assert not Interaction.objects.filter(case=case).exists()
    assert mail.outbox == []
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_send_anyway_sends_and_ends_my_replying_mark(
    client: Client,
    case: Case,
    agent_ann: User,
    lead_lee: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mark_presence(case, user=lead_lee, replying=True)
    mark_presence(case, user=agent_ann, replying=True)
    client.force_login(agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{case.number}/reply/", {"body": "Już odpowiadam", "send_anyway": "on"}
        )

    assert response.status_code == 302
    assert list(Interaction.objects.filter(case=case).values_list("body_text", flat=True)) == [
        "Już odpowiadam"
    ]
    assert [message.to for message in mail.outbox] == [["jan@example.pl"]]
    assert others_replying(case, lead_lee) == []


def test_my_own_replying_mark_does_not_block_me(case: Case, agent_ann: User) -> None:
    mark_presence(case, user=agent_ann, replying=True)

    reply = reply_from_desk(case, by=agent_ann, body_text="Dzień dobry")

    assert reply.direction == Interaction.Direction.OUTBOUND


def test_the_service_refuses_and_names_who_is_replying(
    case: Case, agent_ann: User, lead_lee: User
) -> None:
    mark_presence(case, user=lead_lee, replying=True)

    with pytest.raises(SomeoneElseReplying) as refused:
        reply_from_desk(case, by=agent_ann, body_text="Dzień dobry")

    assert refused.value.agents == [lead_lee]
    assert not Interaction.objects.exists()


def test_htmx_refusal_returns_the_form_with_send_anyway(
    client: Client, case: Case, agent_ann: User, lead_lee: User
) -> None:
    mark_presence(case, user=lead_lee, replying=True)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/reply/", {"body": "Już odpowiadam"}, headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(
        '<section id="compose" class="card compose" hx-swap-oob="true">'
    )
    assert 'name="send_anyway"' in html
    assert "Już odpowiadam</textarea>" in html
    assert not Interaction.objects.exists()
