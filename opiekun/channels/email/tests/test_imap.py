import errno
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import HTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from pytest_django.fixtures import Settings

from opiekun.accounts.models import User
from opiekun.cases.models import Attachment, Interaction
from opiekun.channels.email.crypto import decrypt_secret, encrypt_secret
from opiekun.channels.email.imap import (
    Connection,
    MailboxError,
    access_token_for,
    xoauth2_string,
)
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.polling import poll_mailbox, poll_mailboxes
from opiekun.channels.email.tests.dovecot import (
    OAUTH_TOKEN,
    Dovecot,
    Fields,
    free_port,
    json_endpoint,
)
from opiekun.core import files


def _message(number: int) -> bytes:
    return (
        f"From: Klient {number} <klient{number}@example.pl>\r\nTo: support@example.com\r\n"
        f"Subject: Sprawa {number}\r\nMessage-ID: <m{number}@example.pl>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nTreść wiadomości.\r\n"
    ).encode()


def test_poll_fetches_new_mail_and_marks_it_seen(imap: Dovecot, mailbox: Mailbox) -> None:
    imap.append(_message(1), _message(2))

    result = poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert result is not None
    assert result.fetched == 2
    assert Interaction.objects.count() == 2
    rows = list(InboundMessage.objects.values_list("imap_uid", "status"))
    assert len({uid for uid, _status in rows}) == 2
    assert [status for _uid, status in rows] == [InboundMessage.Status.PROCESSED] * 2
    assert imap.unseen_count() == 0
    assert mailbox.last_success_at is not None
    assert mailbox.messages_waiting == 0
    assert mailbox.failing_since is None


def test_second_poll_finds_nothing_new(imap: Dovecot, mailbox: Mailbox) -> None:
    imap.append(_message(1))
    poll_mailbox(mailbox)

    result = poll_mailbox(mailbox)

    assert result is not None
    assert result.fetched == 0
    assert InboundMessage.objects.count() == 1


def test_message_refetched_after_a_crash_is_not_ingested_twice(
    imap: Dovecot, mailbox: Mailbox
) -> None:
    """The database committed but the process died before \\Seen reached the server."""
    imap.append(_message(1))
    poll_mailbox(mailbox)
    client = imap.client()
    client.select("INBOX")
    client.store("1", "-FLAGS.SILENT", "(\\Seen)")
    client.logout()

    result = poll_mailbox(mailbox)

    assert result is not None
    assert result.fetched == 1
    assert InboundMessage.objects.count() == 1
    assert Interaction.objects.count() == 1
    assert imap.unseen_count() == 0


@pytest.mark.parametrize(
    ("security", "tls_port"),
    [(Mailbox.Security.TLS, True), (Mailbox.Security.STARTTLS, False)],
)
def test_tls_and_starttls(
    imap: Dovecot,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
    security: str,
    tls_port: bool,
) -> None:
    # Trust the test server's self-signed certificate, and nothing is unverified.
    monkeypatch.setenv("SSL_CERT_FILE", str(imap.cert))
    mailbox.security = security
    mailbox.port = imap.tls_port if tls_port else imap.port
    mailbox.save()
    imap.append(_message(1))

    result = poll_mailbox(mailbox)

    assert result is not None
    assert result.fetched == 1


def test_untrusted_certificate_is_refused(imap: Dovecot, mailbox: Mailbox) -> None:
    mailbox.security = Mailbox.Security.TLS
    mailbox.port = imap.tls_port
    mailbox.save()

    result = poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert result is None
    assert "CERTIFICATE_VERIFY_FAILED" in mailbox.last_error


def test_refused_credentials_alert_admins_once(
    imap: Dovecot,
    mailbox: Mailbox,
    admin_adam: User,
    agent_ann: User,
    django_capture_on_commit_callbacks: object,
) -> None:
    admin_adam.email = "adam@example.com"
    admin_adam.save(update_fields=["email"])
    agent_ann.email = "ann@example.com"
    agent_ann.save(update_fields=["email"])
    mailbox.password_encrypted = encrypt_secret("wrong")
    mailbox.save()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        first = poll_mailbox(mailbox)
        second = poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert first is None
    assert second is None
    assert mailbox.failing_since is not None
    assert mailbox.last_error.startswith("Sign-in refused")
    assert [message.to for message in mail.outbox] == [["adam@example.com"]]
    assert mail.outbox[0].subject == "Mailbox Support: sign-in refused"


def test_unreachable_server_alerts_after_fifteen_minutes(
    mailbox: Mailbox, admin_adam: User, django_capture_on_commit_callbacks: object
) -> None:
    admin_adam.email = "adam@example.com"
    admin_adam.save(update_fields=["email"])
    mailbox.port = free_port()
    mailbox.save()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        poll_mailbox(mailbox)
    alerts_at_first = len(mail.outbox)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        failing_since=timezone.now() - timedelta(minutes=16)
    )
    mailbox.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        poll_mailbox(mailbox)
        poll_mailbox(mailbox)

    assert alerts_at_first == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Mailbox Support has failed since ")


def test_recovery_ends_the_incident(imap: Dovecot, mailbox: Mailbox) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(
        failing_since=timezone.now(), alerted_at=timezone.now(), last_error="boom"
    )

    poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert mailbox.failing_since is None
    assert mailbox.alerted_at is None
    assert mailbox.last_error == "boom"


# ----------------------------------------------------------------------------- OAuth 2.0


class _TokenEndpoint:
    """What the token endpoint was asked, and what it answers."""

    requests: list[Fields] = []
    reply: tuple[int, dict[str, str]] = (200, {})

    @classmethod
    def answer(cls, fields: Fields) -> tuple[int, object]:
        cls.requests.append(fields)
        return cls.reply


@pytest.fixture
def token_endpoint() -> Iterator[str]:
    _TokenEndpoint.requests = []
    server = HTTPServer(("127.0.0.1", 0), json_endpoint(_TokenEndpoint.answer))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/token"
    server.shutdown()
    server.server_close()


def _oauth_mailbox(mailbox: Mailbox, token_url: str) -> Mailbox:
    mailbox.auth = Mailbox.Auth.MICROSOFT
    mailbox.client_id = "client-1"
    mailbox.client_secret_encrypted = encrypt_secret("client-secret")
    mailbox.refresh_token_encrypted = encrypt_secret("refresh-1")
    mailbox.token_url = token_url
    mailbox.save()
    return mailbox


def test_token_refresh_posts_the_refresh_grant(mailbox: Mailbox, token_endpoint: str) -> None:
    _TokenEndpoint.reply = (200, {"access_token": "access-1", "refresh_token": "refresh-2"})
    _oauth_mailbox(mailbox, token_endpoint)

    token, rotated = access_token_for(mailbox)

    assert (token, rotated) == ("access-1", "refresh-2")
    assert _TokenEndpoint.requests == [
        {
            "grant_type": ["refresh_token"],
            "client_id": ["client-1"],
            "refresh_token": ["refresh-1"],
            "client_secret": ["client-secret"],
            "scope": ["https://outlook.office.com/IMAP.AccessAsUser.All offline_access"],
        }
    ]


def test_revoked_grant_is_a_credentials_failure(mailbox: Mailbox, token_endpoint: str) -> None:
    _TokenEndpoint.reply = (400, {"error": "invalid_grant"})
    _oauth_mailbox(mailbox, token_endpoint)

    with pytest.raises(MailboxError) as raised:
        access_token_for(mailbox)

    assert raised.value.credentials is True
    assert str(raised.value) == 'Token refresh refused (400): {"error": "invalid_grant"}'


def test_oauth_mailbox_signs_in_with_xoauth2_and_fetches(
    imap: Dovecot, mailbox: Mailbox, token_endpoint: str
) -> None:
    # The token endpoint hands out the access token Dovecot's introspection accepts, and
    # rotates the refresh token, as Microsoft's does.
    _TokenEndpoint.reply = (200, {"access_token": OAUTH_TOKEN, "refresh_token": "refresh-2"})
    _oauth_mailbox(mailbox, token_endpoint)
    imap.append(_message(1))

    result = poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert result is not None
    assert result.fetched == 1
    assert Interaction.objects.count() == 1
    assert imap.unseen_count() == 0
    assert decrypt_secret(mailbox.refresh_token_encrypted) == "refresh-2"
    assert mailbox.failing_since is None


def test_refused_access_token_is_a_credentials_failure(
    imap: Dovecot, mailbox: Mailbox, token_endpoint: str
) -> None:
    _TokenEndpoint.reply = (200, {"access_token": "expired-token", "refresh_token": "refresh-2"})
    _oauth_mailbox(mailbox, token_endpoint)
    imap.append(_message(1))

    assert poll_mailbox(mailbox) is None

    mailbox.refresh_from_db()
    assert mailbox.last_error.startswith("Sign-in refused")
    assert mailbox.alerted_at is not None  # credentials: admins are told at once
    assert imap.unseen_count() == 1
    # The rotated refresh token is kept all the same.
    assert decrypt_secret(mailbox.refresh_token_encrypted) == "refresh-2"


def test_xoauth2_string() -> None:
    assert xoauth2_string("ann@example.com", "tok") == (
        b"user=ann@example.com\x01auth=Bearer tok\x01\x01"
    )


def test_periodic_task_polls_every_active_mailbox(imap: Dovecot, mailbox: Mailbox) -> None:
    Mailbox.objects.create(
        name="Paused", team=mailbox.team, host="127.0.0.1", username="x", is_active=False
    )
    imap.append(_message(1))

    result = poll_mailboxes.enqueue()

    assert result.return_value == {"Support": 1}


# ----------------------------------------------------------------------------- faults


def _with_files(number: int) -> bytes:
    return (
        f"From: Klient <klient{number}@example.pl>\r\nTo: support@example.com\r\n"
        f"Subject: Pliki {number}\r\nMessage-ID: <f{number}@example.pl>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nW załączniku.\r\n"
        + "".join(
            f"--b\r\nContent-Type: application/pdf\r\n"
            f'Content-Disposition: attachment; filename="plik{index}.pdf"\r\n\r\n'
            f"%PDF-1.4 {number} {index} {'z' * 5000}\r\n"
            for index in range(2)
        )
        + "--b--\r\n"
    ).encode()


@pytest.mark.parametrize("answer", [b"", b"From: Klient <klient1@example.pl>\r\n"])
def test_body_not_received_in_full_is_left_unseen_and_fetched_next_time(
    imap: Dovecot, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch, answer: bytes
) -> None:
    """The server answers an empty (or cut) body for a UID: never quarantined, never \\Seen."""
    imap.append(_message(1), _message(2))
    real_body = Connection._body
    calls = {"count": 0}

    def faulty(self: Connection, uid: bytes, section: str = "BODY.PEEK[]") -> bytes | None:
        body = real_body(self, uid, section)
        if body and b"<m1@example.pl>" in body:
            calls["count"] += 1
            return answer[: len(answer) - calls["count"]] if answer else b""  # never the same
        return body

    monkeypatch.setattr(Connection, "_body", faulty)
    result = poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert result is not None
    assert (result.fetched, result.incomplete) == (1, 1)
    assert mailbox.messages_incomplete == 1
    assert list(InboundMessage.objects.values_list("message_id", flat=True)) == ["<m2@example.pl>"]
    assert imap.unseen_count() == 1

    monkeypatch.undo()
    result = poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert result is not None
    assert (result.fetched, result.incomplete) == (1, 0)
    assert mailbox.messages_incomplete == 0
    assert InboundMessage.objects.filter(status=InboundMessage.Status.PROCESSED).count() == 2
    assert imap.unseen_count() == 0


def test_disk_full_while_storing_attachments_loses_nothing_and_leaves_nothing(
    imap: Dovecot, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    imap.append(_with_files(1), _with_files(2))
    media = Path(settings.MEDIA_ROOT)
    before = {path for path in media.rglob("*") if path.is_file()}
    real_write = files._write_all
    writes = {"count": 0}

    def disk_fills(descriptor: int, content: bytes) -> None:
        writes["count"] += 1
        if writes["count"] >= 2:  # the first file fits, the second is cut short
            real_write(descriptor, content[:100])
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(descriptor, content)

    monkeypatch.setattr(files, "_write_all", disk_fills)
    result = poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert result is None
    assert "No space left on device" in mailbox.last_error
    assert mailbox.is_failing()
    assert imap.unseen_count() == 2  # not flagged: fetched again once there is space
    assert set(InboundMessage.objects.values_list("status", flat=True)) == {"received"}
    assert Attachment.objects.count() == 0
    assert {path for path in media.rglob("*") if path.is_file()} == before  # no orphan, no .tmp

    monkeypatch.undo()
    result = poll_mailbox(mailbox)

    mailbox.refresh_from_db()
    assert result is not None
    assert mailbox.failing_since is None
    assert InboundMessage.objects.filter(status=InboundMessage.Status.PROCESSED).count() == 2
    assert imap.unseen_count() == 0
    stored = Attachment.objects.all()
    assert len(stored) == 4
    for attachment in stored:
        assert attachment.file.size == attachment.size
