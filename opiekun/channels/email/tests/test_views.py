import pytest
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import Team, User
from opiekun.accounts.tests.factories import TOTPDeviceFactory
from opiekun.cases.models import Interaction
from opiekun.channels.email.crypto import decrypt_secret
from opiekun.channels.email.inbound import ingest, store_raw
from opiekun.channels.email.models import InboundMessage, Mailbox

RAW = b"From: jan@example.pl\r\nSubject: Pralka\r\nMessage-ID: <q1@example.pl>\r\n\r\nTekst\r\n"


def _form(team: Team, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Support",
        "team": team.pk,
        "language": "pl",
        "acknowledge": "on",
        "is_active": "on",
        "host": "imap.example.com",
        "port": 993,
        "security": "tls",
        "auth": "password",
        "username": "support@example.com",
        "folder": "INBOX",
        "password": "s3cret-hasło",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("admin_adam", True),
        ("manager_maja", False),
        ("lead_lee", False),
        ("agent_ann", False),
    ],
)
@pytest.mark.parametrize(
    "url_name",
    ["email_channel:mailbox_list", "email_channel:mailbox_create", "email_channel:quarantine"],
)
def test_only_admins_see_mail_pages(
    client: Client, request: pytest.FixtureRequest, persona: str, allowed: bool, url_name: str
) -> None:
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(url_name))

    assert response.status_code == (200 if allowed else 403)


def test_admin_creates_a_mailbox_with_its_password_encrypted(
    client: Client, admin_adam: User, team_a: Team
) -> None:
    client.force_login(admin_adam)

    response = client.post(reverse("email_channel:mailbox_create"), _form(team_a))

    mailbox = Mailbox.objects.get()
    assert response.status_code == 302
    assert mailbox.team == team_a
    assert mailbox.acknowledge is True
    assert "s3cret" not in mailbox.password_encrypted
    assert decrypt_secret(mailbox.password_encrypted) == "s3cret-hasło"


def test_password_is_required_for_a_new_password_mailbox(
    client: Client, admin_adam: User, team_a: Team
) -> None:
    client.force_login(admin_adam)

    response = client.post(reverse("email_channel:mailbox_create"), _form(team_a, password=""))

    assert response.status_code == 200
    assert Mailbox.objects.count() == 0


def test_editing_without_a_password_keeps_the_stored_one(
    client: Client, admin_adam: User, team_a: Team
) -> None:
    client.force_login(admin_adam)
    client.post(reverse("email_channel:mailbox_create"), _form(team_a))
    mailbox = Mailbox.objects.get()

    response = client.post(
        reverse("email_channel:mailbox_edit", args=[mailbox.pk]),
        _form(team_a, password="", folder="Support"),
    )

    mailbox.refresh_from_db()
    assert response.status_code == 302
    assert mailbox.folder == "Support"
    assert decrypt_secret(mailbox.password_encrypted) == "s3cret-hasło"


def test_mailbox_list_shows_health(client: Client, admin_adam: User, team_a: Team) -> None:
    Mailbox.objects.create(
        name="Support",
        team=team_a,
        host="imap.example.com",
        username="u",
        last_error="Sign-in refused",
        messages_waiting=7,
    )
    client.force_login(admin_adam)

    response = client.get(reverse("email_channel:mailbox_list"))

    assert response.status_code == 200
    assert response.context["mailboxes"][0].messages_waiting == 7
    assert "Sign-in refused" in response.content.decode()


def test_quarantined_message_is_listed_and_can_be_processed_again(
    client: Client, admin_adam: User, team_a: Team
) -> None:
    inbound = store_raw(RAW, team=team_a)
    InboundMessage.objects.filter(pk=inbound.pk).update(
        status=InboundMessage.Status.QUARANTINED, error="ValueError: boom"
    )
    client.force_login(admin_adam)
    page = client.get(reverse("email_channel:quarantine"))

    response = client.post(reverse("email_channel:retry", args=[inbound.pk]))

    inbound.refresh_from_db()
    assert list(page.context["rows"]) == [inbound]
    assert response.status_code == 302
    assert inbound.status == InboundMessage.Status.PROCESSED
    assert Interaction.objects.count() == 1


def test_retry_with_htmx_returns_the_row(client: Client, admin_adam: User, team_a: Team) -> None:
    inbound = store_raw(RAW, team=team_a)
    InboundMessage.objects.filter(pk=inbound.pk).update(status=InboundMessage.Status.QUARANTINED)
    client.force_login(admin_adam)

    response = client.post(
        reverse("email_channel:retry", args=[inbound.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "email_channel/partials/_quarantine_row.html"


def test_agent_cannot_retry(client: Client, agent_ann: User, team_a: Team) -> None:
    inbound = store_raw(RAW, team=team_a)
    InboundMessage.objects.filter(pk=inbound.pk).update(status=InboundMessage.Status.QUARANTINED)
    client.force_login(agent_ann)

    response = client.post(reverse("email_channel:retry", args=[inbound.pk]))

    inbound.refresh_from_db()
    assert response.status_code == 403
    assert inbound.status == InboundMessage.Status.QUARANTINED
    assert Interaction.objects.count() == 0


def test_admin_downloads_the_raw_message(client: Client, admin_adam: User, team_a: Team) -> None:
    ingest(RAW, team=team_a)
    inbound = InboundMessage.objects.get()
    client.force_login(admin_adam)

    response = client.get(reverse("email_channel:raw", args=[inbound.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response.content == RAW


@pytest.mark.parametrize("name", ["mailbox_list", "mailbox_create", "quarantine"])
def test_an_admin_with_two_factor_gives_the_code_before_the_mail_pages(
    client: Client, admin_adam: User, name: str
) -> None:
    TOTPDeviceFactory.create(user=admin_adam)
    client.force_login(admin_adam)

    response = client.get(reverse(f"email_channel:{name}"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
