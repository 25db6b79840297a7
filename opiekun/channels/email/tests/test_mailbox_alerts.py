"""Admins hear of a failing mailbox through the task queue, after commit, in their language."""

from typing import TYPE_CHECKING

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from opiekun.accounts.models import Team, User
from opiekun.channels.email.models import Mailbox
from opiekun.channels.email.polling import record_failure
from opiekun.channels.email.tests.worker import run_due_tasks

if TYPE_CHECKING:
    from opiekun.channels.email.tests.smtp import SmtpServer

pytest_plugins = ["opiekun.channels.email.tests.smtp"]

pytestmark = pytest.mark.django_db(transaction=True)

SEND_EMAIL_MESSAGE = "opiekun.core.tasks.send_email_message"


@pytest.fixture(autouse=True)
def _database_tasks(settings: Settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }


def test_refused_credentials_reach_the_admins_through_the_queue(
    team_a: Team, admin_adam: User, smtp_server: "SmtpServer"
) -> None:
    admin_adam.email = "adam@example.com"
    admin_adam.language = "pl"
    admin_adam.save(update_fields=["email", "language"])
    mailbox = Mailbox.objects.create(
        name="Support", team=team_a, host="127.0.0.1", username="support"
    )

    record_failure(mailbox, error="Sign-in refused: AUTHENTICATIONFAILED", credentials=True)
    queued = list(DBTaskResult.objects.values_list("task_path", "queue_name", "status"))
    received_before_the_worker = len(smtp_server.received)
    run_due_tasks()

    assert queued == [(SEND_EMAIL_MESSAGE, "email", "READY")]
    assert received_before_the_worker == 0
    assert [item.rcpt_tos for item in smtp_server.received] == [["adam@example.com"]]
    message = smtp_server.received[0].message
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert message["Subject"] == "Skrzynka Support: logowanie odrzucone"
    assert text is not None
    assert text.get_content() == (
        "Serwer odrzucił dane logowania skrzynki. Podaj nowe hasło lub połącz konto ponownie.\n"
        "\n"
        "Ostatni błąd: Sign-in refused: AUTHENTICATIONFAILED\n"
        "\n"
        f"{settings.SITE_URL}{mailbox.get_absolute_url()}\n"
    )
    assert html is not None
    assert '<html lang="pl">' in html.get_content()
    assert DBTaskResult.objects.get().return_value == "sent"
