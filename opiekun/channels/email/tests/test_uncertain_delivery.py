"""The SMTP server drops the connection after it had the whole message (after DATA and the
final dot, before its "250"): the message may have arrived, so it is never sent again by
itself. The delivery is "uncertain", shown on the case with a Resend action and counted;
only an agent's Resend sends it again, under the same Message-ID."""

import asyncio
from typing import TYPE_CHECKING

import pytest
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import User
from opiekun.cases.models import Case, Event, Interaction
from opiekun.cases.services import add_reply, retry_delivery
from opiekun.channels.email import outbound
from opiekun.channels.email.selectors import uncertain_delivery_count
from opiekun.channels.email.tests.worker import (
    make_retries_due,
    run_due_tasks,
)

if TYPE_CHECKING:
    from opiekun.channels.email.tests.smtp import SmtpServer

pytest_plugins = ["opiekun.channels.email.tests.smtp"]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("database_tasks")]


def _drop_after_data(server: "SmtpServer") -> list[bytes]:
    """Make the server take the whole message, then hang up instead of answering "250"."""
    taken: list[bytes] = []

    async def handle_DATA(smtp: object, session: object, envelope: object) -> str:
        taken.append(bytes(envelope.original_content))  # type: ignore[attr-defined]
        smtp.transport.close()  # type: ignore[attr-defined]
        await asyncio.sleep(0)
        return "250 never heard"

    server.handle_DATA = handle_DATA  # type: ignore[method-assign,assignment]
    return taken


def test_connection_dropped_after_data_is_uncertain_and_not_resent(
    case: Case, agent_ann: User, smtp_server: "SmtpServer"
) -> None:
    taken = _drop_after_data(smtp_server)
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")

    run_due_tasks()
    make_retries_due()
    run_due_tasks()
    outbound.deliver(reply.pk)  # the first task run again (a worker retried it)

    reply.refresh_from_db()
    assert len(taken) == 1  # handed over once, never again by itself
    assert reply.delivery_status == Interaction.DeliveryStatus.UNCERTAIN
    assert reply.sent_at is None
    assert "retry_at" not in reply.meta
    assert "sending_since" not in reply.meta
    assert reply.meta["delivery_error"]
    event = Event.objects.get(case=case, kind=Event.Kind.DELIVERY)
    assert event.payload["status"] == Interaction.DeliveryStatus.UNCERTAIN
    assert uncertain_delivery_count() == 1


def test_refused_before_data_is_still_retried(
    case: Case, agent_ann: User, smtp_server: "SmtpServer"
) -> None:
    """A connection that breaks before the message was handed over is an ordinary failure."""
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")

    run_due_tasks()

    reply.refresh_from_db()
    assert reply.delivery_status == Interaction.DeliveryStatus.FAILED
    assert "retry_at" in reply.meta


def test_agent_resends_knowingly_under_the_same_message_id(
    case: Case, agent_ann: User, smtp_server: "SmtpServer", client: Client
) -> None:
    taken = _drop_after_data(smtp_server)
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")
    run_due_tasks()
    reply.refresh_from_db()
    client.force_login(agent_ann)

    page = client.get(case.get_absolute_url())

    assert page.status_code == 200
    content = page.content.decode()
    assert 'class="delivery-failed delivery-uncertain row"' in content
    assert reverse("cases:retry", args=[case.number, reply.pk]) in content
    assert "Resend" in content or "Wyślij ponownie" in content

    del smtp_server.handle_DATA  # the server answers again
    retry_delivery(reply, by=agent_ann)
    run_due_tasks()

    reply.refresh_from_db()
    assert reply.delivery_status == Interaction.DeliveryStatus.SENT
    assert len(smtp_server.received) == 1
    assert len(taken) == 1
    assert smtp_server.received[0].message["Message-ID"] == reply.external_id
    assert uncertain_delivery_count() == 0
