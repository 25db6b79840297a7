"""The web form answers at once whatever the mail server is doing: the acknowledgement waits
on the case timeline and goes out, once, when the server is back; sending the same message
again gives the same case."""

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from opiekun.accounts.models import Team
from opiekun.cases.models import Case, Interaction
from opiekun.channels.email.tests.worker import make_retries_due, run_due_tasks
from opiekun.channels.web.models import ContactForm

if TYPE_CHECKING:
    from opiekun.channels.email.tests.smtp import SmtpServer

pytest_plugins = ["opiekun.channels.email.tests.smtp"]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database_tasks(settings: Settings) -> None:
    cache.clear()
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }


def send_form() -> str:
    response = Client().post(
        reverse("web:contact", args=["kontakt"]) + "?language=pl",
        {
            "name": "Anna Wiśniewska",
            "email": "anna@example.pl",
            "subject": "Brak paczki",
            "message": "Zamówienie nie dotarło.",
            "website": "",
        },
    )
    assert response.status_code == 200
    return response.content.decode()


def test_with_the_mail_server_down_the_form_answers_and_the_acknowledgement_follows_once(
    team_a: Team, smtp_comes_back: Callable[[], "SmtpServer"]
) -> None:
    ContactForm.objects.create(slug="kontakt", title="Kontakt", team=team_a)

    page = send_form()
    case = Case.objects.get()
    run_due_tasks()
    ack = case.interactions.get(direction=Interaction.Direction.OUTBOUND)
    failed = ack.delivery_status
    server = smtp_comes_back()
    make_retries_due()
    run_due_tasks()
    make_retries_due()
    run_due_tasks()

    assert case.number in page
    assert failed == Interaction.DeliveryStatus.FAILED
    ack.refresh_from_db()
    assert ack.delivery_status == Interaction.DeliveryStatus.SENT
    assert ack.meta["auto"] == "acknowledgement"
    assert [item.rcpt_tos for item in server.received] == [["anna@example.pl"]]
    assert server.received[0].message["Subject"].startswith(f"[#{case.number}]")


def test_the_same_message_sent_again_gets_the_same_case(team_a: Team, smtp_down: int) -> None:
    ContactForm.objects.create(slug="kontakt", title="Kontakt", team=team_a)

    first = send_form()
    again = send_form()

    case = Case.objects.get()
    assert case.number in first
    assert case.number in again
    assert case.interactions.filter(direction=Interaction.Direction.INBOUND).count() == 1
    assert case.interactions.filter(direction=Interaction.Direction.OUTBOUND).count() == 1
