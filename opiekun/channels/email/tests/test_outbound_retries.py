"""Failed sends are shown on the case and retried with backoff through the database task
queue; a permanent refusal stops retrying; nothing is ever sent twice.

Queued tasks run through django_tasks_db's own worker in batch mode (`run_due_tasks`), which
needs committed rows, hence `transaction=True`. A retry is made due by moving its run_after
to now, as the clock would.
"""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opiekun.accounts.models import User
from opiekun.cases.models import Case, Event, Interaction
from opiekun.cases.services import add_reply, retry_delivery
from opiekun.channels.email import outbound
from opiekun.channels.email.tests.worker import (
    SEND_REPLY,
    make_retries_due,
    run_due_tasks,
)
from opiekun.core import emails

if TYPE_CHECKING:
    from opiekun.channels.email.tests.smtp import SmtpServer

pytest_plugins = ["opiekun.channels.email.tests.smtp"]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("database_tasks")]


def waiting_tasks() -> list[tuple[list[object], datetime]]:
    """(args, run_after) of send_reply tasks not yet run."""
    return [
        (task.args_kwargs["args"], task.run_after)
        for task in DBTaskResult.objects.filter(task_path=SEND_REPLY, status="READY")
    ]


def failures_on(case: Case) -> list[dict[str, object]]:
    return [event.payload for event in Event.objects.filter(case=case, kind=Event.Kind.DELIVERY)]


def test_server_down_marks_failed_with_the_error_and_schedules_a_retry(
    case: Case, agent_ann: User, smtp_down: int
) -> None:
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")

    run_due_tasks()

    reply.refresh_from_db()
    assert reply.delivery_status == Interaction.DeliveryStatus.FAILED
    assert reply.sent_at is None
    retry_at = datetime.fromisoformat(reply.meta["retry_at"])
    assert reply.meta == {
        "delivery_attempts": 1,
        "delivery_error": "[Errno 111] Connection refused",
        "retry_at": retry_at.isoformat(),
    }
    assert waiting_tasks() == [([reply.pk, 2], retry_at)]
    assert failures_on(case) == [
        {
            "interaction_id": reply.pk,
            "status": "failed",
            "error": "[Errno 111] Connection refused",
        }
    ]


def test_451_is_retried_and_the_retry_sends_exactly_once_with_the_same_message_id(
    case: Case, agent_ann: User, smtp_server: "SmtpServer"
) -> None:
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")
    run_due_tasks()
    reply.refresh_from_db()
    first_message_id = reply.external_id
    assert reply.delivery_status == Interaction.DeliveryStatus.FAILED
    assert reply.meta["delivery_error"] == "451 4.3.0 Try again later"
    assert [args for args, _when in waiting_tasks()] == [[reply.pk, 2]]

    smtp_server.refuse_with = None
    make_retries_due()
    run_due_tasks()
    outbound.deliver(reply.pk)
    run_due_tasks()

    reply.refresh_from_db()
    assert reply.delivery_status == Interaction.DeliveryStatus.SENT
    assert reply.sent_at is not None
    assert reply.meta == {"delivery_attempts": 2}
    assert reply.external_id == first_message_id
    assert [received.message["Message-ID"] for received in smtp_server.received] == [
        first_message_id
    ]
    assert waiting_tasks() == []


def test_550_fails_for_good_without_a_retry(
    case: Case, agent_ann: User, smtp_server: "SmtpServer"
) -> None:
    smtp_server.refuse_with = "550 5.1.1 Mailbox unavailable"
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")

    run_due_tasks()

    reply.refresh_from_db()
    assert reply.delivery_status == Interaction.DeliveryStatus.FAILED
    assert reply.meta == {
        "delivery_attempts": 1,
        "delivery_error": "550 5.1.1 Mailbox unavailable",
    }
    assert waiting_tasks() == []
    assert smtp_server.received == []


def test_backoff_grows_and_retrying_stops_after_the_last_attempt(
    case: Case, agent_ann: User, smtp_down: int
) -> None:
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")
    delays = []

    for _attempt in range(emails.MAX_ATTEMPTS):
        before = timezone.now()
        run_due_tasks()
        after = timezone.now()
        waiting = waiting_tasks()
        if waiting:
            [(_args, run_after)] = waiting
            delays.append((run_after - after, run_after - before))
        make_retries_due()

    reply.refresh_from_db()
    assert all(
        low <= expected <= high
        for (low, high), expected in zip(delays, emails.RETRY_DELAYS, strict=True)
    )
    assert reply.meta["delivery_attempts"] == emails.MAX_ATTEMPTS
    assert "retry_at" not in reply.meta
    assert reply.delivery_status == Interaction.DeliveryStatus.FAILED
    assert waiting_tasks() == []
    assert len(failures_on(case)) == emails.MAX_ATTEMPTS


def test_retry_now_sends_after_a_permanent_failure_and_notes_who_asked(
    case: Case, agent_ann: User, smtp_server: "SmtpServer"
) -> None:
    smtp_server.refuse_with = "550 5.7.1 Relaying denied"
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")
    run_due_tasks()
    smtp_server.refuse_with = None

    retry_delivery(reply, by=agent_ann)
    run_due_tasks()

    reply.refresh_from_db()
    assert reply.delivery_status == Interaction.DeliveryStatus.SENT
    assert reply.meta == {"delivery_attempts": 2}
    assert len(smtp_server.received) == 1
    queued = Event.objects.get(case=case, kind=Event.Kind.DELIVERY, payload__status="queued")
    assert (queued.actor, queued.payload) == (
        agent_ann,
        {"interaction_id": reply.pk, "status": "queued"},
    )


def test_retry_now_makes_the_waiting_scheduled_retry_stale(
    case: Case, agent_ann: User, smtp_server: "SmtpServer"
) -> None:
    smtp_server.refuse_with = "451 4.3.0 Try again later"
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")
    run_due_tasks()
    retry_delivery(reply, by=agent_ann)
    run_due_tasks()
    smtp_server.refuse_with = None

    outcome = outbound.deliver(reply.pk, attempt=2)

    reply.refresh_from_db()
    assert outcome == emails.SKIPPED
    assert smtp_server.received == []
    assert reply.meta["delivery_attempts"] == 2
    assert sorted(str(args) for args, _when in waiting_tasks()) == [
        f"[{reply.pk}, 2]",
        f"[{reply.pk}, 3]",
    ]


def test_retry_now_leaves_a_sent_reply_alone(
    case: Case, agent_ann: User, smtp_server: "SmtpServer"
) -> None:
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")
    run_due_tasks()
    reply.refresh_from_db()
    sent_at = reply.sent_at

    retry_delivery(reply, by=agent_ann)
    run_due_tasks()

    reply.refresh_from_db()
    assert (reply.delivery_status, reply.sent_at) == (Interaction.DeliveryStatus.SENT, sent_at)
    assert len(smtp_server.received) == 1
    assert failures_on(case) == []
    assert waiting_tasks() == []


def test_an_attempt_in_flight_is_not_started_twice(
    case: Case, agent_ann: User, smtp_server: "SmtpServer"
) -> None:
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")
    reply.meta = {"delivery_attempts": 1, "sending_since": timezone.now().isoformat()}
    reply.save(update_fields=["meta"])

    assert outbound.deliver(reply.pk) == emails.SKIPPED

    assert smtp_server.received == []


def test_an_attempt_whose_process_died_is_taken_over_after_the_lease(
    case: Case, agent_ann: User, smtp_server: "SmtpServer"
) -> None:
    reply = add_reply(case, by=agent_ann, body_text="Dzień dobry.")
    stale = timezone.now() - outbound.SENDING_LEASE - timedelta(seconds=1)
    reply.meta = {"delivery_attempts": 1, "sending_since": stale.isoformat()}
    reply.save(update_fields=["meta"])

    assert outbound.deliver(reply.pk) == emails.SENT

    assert len(smtp_server.received) == 1
