from collections.abc import Iterator

import pytest

from opiekun.accounts.models import Team
from opiekun.channels.email.crypto import encrypt_secret
from opiekun.channels.email.models import Mailbox
from opiekun.channels.email.tests.dovecot import PASSWORD, USER, Dovecot


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
