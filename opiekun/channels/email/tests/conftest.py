from collections.abc import Iterator

import pytest
from pytest_django.fixtures import Settings

from opiekun.accounts.models import Team
from opiekun.cases.models import Case
from opiekun.cases.tests.factories import CaseFactory
from opiekun.channels.email.crypto import encrypt_secret
from opiekun.channels.email.models import Mailbox
from opiekun.channels.email.tests.dovecot import PASSWORD, USER, Dovecot
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def imap(dovecot: Dovecot) -> Iterator[Dovecot]:
    """The session's Dovecot with an empty INBOX before and after the test."""
    dovecot.empty()
    yield dovecot
    dovecot.empty()


@pytest.fixture
def mailbox(imap: Dovecot, team_a: Team) -> Mailbox:
    team_a.email = "support@example.com"
    team_a.save(update_fields=["email"])
    return Mailbox.objects.create(
        name="Support",
        team=team_a,
        host="127.0.0.1",
        port=imap.port,
        security=Mailbox.Security.NONE,
        username=USER,
        password_encrypted=encrypt_secret(PASSWORD),
        language="pl",
    )


@pytest.fixture
def database_tasks(settings: Settings) -> None:
    """Tasks go to the database queue, as in production, for run_due_tasks to run."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}
    }


@pytest.fixture
def case(team_a: Team) -> Case:
    """A case of a team with its own address, for a customer with one proven address."""
    team_a.email = "obsluga@sklep.pl"
    team_a.save()
    customer = CustomerFactory.create(language="pl")
    IdentityFactory.create(customer=customer, value="zofia@example.pl", is_primary=True)
    return CaseFactory.create(team=team_a, customer=customer, subject="Zwrot")
