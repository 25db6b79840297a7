"""core.emails: a message is rendered in the recipient's language, sent from the task queue
after commit as text and HTML, retried with backoff while the failure may heal, and logged
(without its content) when it fails for good."""

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from opiekun.channels.email.tests.worker import run_due_tasks
from opiekun.core.emails import MAX_ATTEMPTS, send_email
from opiekun.core.tasks import send_email_message

if TYPE_CHECKING:
    from opiekun.channels.email.tests.smtp import SmtpServer

pytest_plugins = ["opiekun.channels.email.tests.smtp"]

SEND_EMAIL_MESSAGE = "opiekun.core.tasks.send_email_message"
SECRET = "Your code is 271828."


@pytest.fixture(autouse=True)
def _greeting_templates(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "emails").mkdir()
    templates = {
        "greeting_subject.txt": "{% autoescape off %}Hi {{ name }}{% endautoescape %}\n",
        "greeting_body.txt": (
            "{% load i18n %}{% get_current_language as current %}{% autoescape off %}"
            "{% translate 'Hello,' %} {{ name }} ({{ current }}). {{ secret }}{% endautoescape %}"
        ),
        "greeting_body.html": (
            '{% extends "emails/base.html" %}{% load i18n %}'
            "{% block content %}<p>{% translate 'Hello,' %} {{ name }}</p>{% endblock content %}"
        ),
    }
    for name, source in templates.items():
        (tmp_path / "emails" / name).write_text(source)
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0], "DIRS": [tmp_path]}]


@pytest.fixture
def database_tasks(settings: Settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }


def greet(language: str = "pl") -> None:
    send_email(
        "greeting",
        to="ola@example.pl",
        language=language,
        context={"name": "Ola & Ala", "secret": SECRET},
    )


@pytest.mark.django_db
def test_a_message_goes_after_commit_as_text_and_html_in_the_recipients_language(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        greet("pl")
        sent_before_commit = len(mail.outbox)

    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    html, mimetype = message.alternatives[0]
    assert sent_before_commit == 0
    assert message.subject == "Hi Ola & Ala"
    assert message.body == f"Dzień dobry, Ola & Ala (pl). {SECRET}\n"
    assert mimetype == "text/html"
    assert '<html lang="pl">' in str(html)
    assert "<p>Dzień dobry, Ola &amp; Ala</p>" in str(html)
    assert message.to == ["ola@example.pl"]
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                greet()
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass

    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_tasks")
def test_a_refusal_that_may_heal_is_retried_with_backoff_until_the_server_takes_it(
    smtp_server: "SmtpServer",
) -> None:
    smtp_server.refuse_with = "451 4.3.0 Try again later"

    greet("et")
    run_due_tasks()
    waiting = DBTaskResult.objects.get(task_path=SEND_EMAIL_MESSAGE, status="READY")
    wait = waiting.run_after - timezone.now()
    smtp_server.refuse_with = None
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    run_due_tasks()

    assert timedelta(seconds=50) < wait <= timedelta(minutes=1)
    assert waiting.args_kwargs["kwargs"] == {"attempt": 2}
    attempts = DBTaskResult.objects.order_by("enqueued_at")
    assert [attempt.return_value for attempt in attempts] == ["retry", "sent"]
    assert [item.rcpt_tos for item in smtp_server.received] == [["ola@example.pl"]]
    assert smtp_server.received[0].message["Subject"] == "Hi Ola & Ala"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_tasks")
def test_a_permanent_refusal_is_logged_without_the_message_and_not_retried(
    smtp_server: "SmtpServer", caplog: pytest.LogCaptureFixture
) -> None:
    smtp_server.refuse_with = "550 5.1.1 No such user"

    greet()
    with caplog.at_level(logging.WARNING, logger="opiekun.core.emails"):
        run_due_tasks()

    assert list(DBTaskResult.objects.values_list("status", "return_value")) == [
        ("SUCCESSFUL", "failed")
    ]
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        (
            "ERROR",
            f"Email greeting to ola@example.pl failed (attempt 1 of {MAX_ATTEMPTS}), "
            "not retried: 550 5.1.1 No such user",
        )
    ]
    assert SECRET not in caplog.text


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_the_last_attempt_is_not_retried(smtp_down: int, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="opiekun.core.emails"):
        outcome = send_email_message.call(
            "greeting", "ola@example.pl", "Hi", SECRET, f"<p>{SECRET}</p>", attempt=MAX_ATTEMPTS
        )

    assert outcome == "failed"
    assert not DBTaskResult.objects.exists()
    assert [record.levelname for record in caplog.records] == ["ERROR"]
    assert f"attempt {MAX_ATTEMPTS} of {MAX_ATTEMPTS}" in caplog.text
    assert SECRET not in caplog.text
