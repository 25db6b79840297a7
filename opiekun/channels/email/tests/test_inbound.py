from django.core import mail
from django.urls import reverse

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Attachment, Case, Channel, Interaction
from opiekun.cases.services import add_interaction, open_case
from opiekun.channels.email.crypto import decrypt_secret, encrypt_secret
from opiekun.channels.email.inbound import ingest, process_message, retry_quarantined, store_raw
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.threading import number_from_reply_address, reply_address_for
from opiekun.customers.models import Identity
from opiekun.customers.services import find_or_create_customer


def message(
    *,
    sender: str = "Jan Kowalski <jan@example.pl>",
    subject: str = "Zepsuta pralka",
    body: str = "Dzień dobry, pralka nie wiruje.",
    message_id: str = "<c1@example.pl>",
    headers: str = "",
    to: str = "support@example.com",
) -> bytes:
    return (
        f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: {message_id}\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n{headers}\r\n{body}"
    ).encode()


def test_new_message_opens_a_case_for_the_sender(team_a: Team) -> None:
    outcome = ingest(message(), team=team_a)

    inbound = InboundMessage.objects.get()
    interaction = Interaction.objects.get()
    assert outcome.status == InboundMessage.Status.PROCESSED
    assert outcome.case_created is True
    assert inbound.status == InboundMessage.Status.PROCESSED
    assert bytes(inbound.raw) == message()
    assert inbound.message_id == "<c1@example.pl>"
    assert inbound.interaction == interaction
    assert interaction.case.subject == "Zepsuta pralka"
    assert interaction.case.team == team_a
    assert interaction.case.channel == Channel.EMAIL
    assert interaction.direction == Interaction.Direction.INBOUND
    assert interaction.body_text == "Dzień dobry, pralka nie wiruje."
    assert interaction.external_id == "<c1@example.pl>"
    assert interaction.customer is not None
    assert interaction.customer.name == "Jan Kowalski"
    assert list(interaction.customer.identities.values_list("kind", "value")) == [
        (Identity.Kind.EMAIL, "jan@example.pl")
    ]


def test_same_message_twice_is_a_duplicate(team_a: Team) -> None:
    ingest(message(), team=team_a)

    outcome = ingest(message(), team=team_a)

    assert outcome.status == InboundMessage.Status.DUPLICATE
    assert Interaction.objects.count() == 1
    assert list(InboundMessage.objects.order_by("id").values_list("status", flat=True)) == [
        InboundMessage.Status.PROCESSED,
        InboundMessage.Status.DUPLICATE,
    ]


def test_processing_a_row_twice_does_nothing_the_second_time(team_a: Team) -> None:
    inbound = store_raw(message(), team=team_a)
    process_message(inbound)

    outcome = process_message(inbound)

    assert outcome.status == InboundMessage.Status.PROCESSED
    assert outcome.case_created is False
    assert Interaction.objects.count() == 1


def test_reply_joins_case_by_our_message_id(team_a: Team, agent_ann: User) -> None:
    customer = find_or_create_customer(email="jan@example.pl")
    case = open_case(customer=customer, team=team_a, subject="Pralka", channel=Channel.EMAIL)
    add_interaction(
        case,
        channel=Channel.EMAIL,
        direction=Interaction.Direction.OUTBOUND,
        body_text="Proszę o numer seryjny.",
        external_id=f"<opiekun.{case.number}.7.0a1b2c3d@example.com>",
    )

    outcome = ingest(
        message(
            subject="Re: something else",
            message_id="<c2@example.pl>",
            headers=f"In-Reply-To: <opiekun.{case.number}.7.0a1b2c3d@example.com>\r\n",
        ),
        team=team_a,
    )

    assert outcome.case_created is False
    assert Case.objects.count() == 1
    assert case.interactions.filter(direction=Interaction.Direction.INBOUND).count() == 1


def test_reply_joins_case_by_subject_tag_only_from_its_customer(team_a: Team) -> None:
    customer = find_or_create_customer(email="jan@example.pl")
    case = open_case(customer=customer, team=team_a, subject="Pralka", channel=Channel.EMAIL)

    own = ingest(message(subject=f"Re: [#{case.number}] Pralka"), team=team_a)
    stranger = ingest(
        message(
            sender="obcy@example.org",
            subject=f"Re: [#{case.number}] Pralka",
            message_id="<x9@example.org>",
        ),
        team=team_a,
    )

    assert own.case_created is False
    assert stranger.case_created is True
    assert case.interactions.count() == 1


def test_reply_joins_case_by_signed_reply_address(team_a: Team) -> None:
    team_a.email = "support@example.com"
    team_a.save(update_fields=["email"])
    customer = find_or_create_customer(email="jan@example.pl")
    case = open_case(customer=customer, team=team_a, subject="Pralka", channel=Channel.EMAIL)
    address = reply_address_for(case)

    # From the case's customer; a stranger writing to it opens a case of their own
    # (test_trust.py).
    outcome = ingest(message(to=address), team=team_a)

    assert address.startswith(f"support+{case.number}-")
    assert address.endswith("@example.com")
    assert number_from_reply_address(address.upper()) == case.number
    assert outcome.case_created is False
    assert case.interactions.count() == 1


def test_forged_reply_address_opens_a_new_case(team_a: Team) -> None:
    customer = find_or_create_customer(email="jan@example.pl")
    case = open_case(customer=customer, team=team_a, subject="Pralka", channel=Channel.EMAIL)

    outcome = ingest(message(to=f"support+{case.number}-000000000000@example.com"), team=team_a)

    assert outcome.case_created is True
    assert case.interactions.count() == 0


def test_mail_forwarded_by_an_agent_is_the_customers(team_a: Team, agent_ann: User) -> None:
    agent_ann.email = "ann@example.com"
    agent_ann.save(update_fields=["email"])
    body = (
        "Klient pisał do mnie.\n\n---------- Forwarded message ---------\n"
        "From: Ewa Nowak <ewa@example.pl>\nSubject: Zwrot\n\nChcę zwrócić pralkę.\n"
    )

    ingest(message(sender="Ann <ann@example.com>", body=body), team=team_a)

    interaction = Interaction.objects.get()
    assert interaction.customer is not None
    assert interaction.customer.name == "Ewa Nowak"
    assert interaction.meta["from"] == "ewa@example.pl"
    assert interaction.meta["forwarded_by"] == "ann@example.com"


def reply_and_its_bounce(team: Team) -> tuple[Case, Interaction, bytes]:
    """A case with our reply to gone@example.pl, and the DSN that reports it undelivered."""
    customer = find_or_create_customer(email="gone@example.pl")
    case = open_case(customer=customer, team=team, subject="Pralka", channel=Channel.EMAIL)
    reply = add_interaction(
        case,
        channel=Channel.EMAIL,
        direction=Interaction.Direction.OUTBOUND,
        body_text="Odpowiedź",
        external_id=f"<opiekun.{case.number}.1.aa@example.com>",
    )
    dsn = (
        "From: MAILER-DAEMON@mx.example.pl\r\nTo: support@example.com\r\n"
        "Subject: Undelivered Mail\r\nMessage-ID: <dsn1@mx.example.pl>\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        "--r\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
        "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        "Final-Recipient: rfc822; gone@example.pl\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {reply.external_id}\r\n"
        "--r--\r\n"
    ).encode()
    return case, reply, dsn


def test_bounce_marks_our_reply_failed(team_a: Team) -> None:
    case, reply, dsn = reply_and_its_bounce(team_a)

    outcome = ingest(dsn, team=team_a)

    reply.refresh_from_db()
    bounce = Interaction.objects.get(direction=Interaction.Direction.INBOUND)
    assert outcome.case_created is False
    assert reply.delivery_status == Interaction.DeliveryStatus.FAILED
    assert reply.meta["delivery_error"] == "Status: 5.1.1"
    assert bounce.case == case
    assert bounce.meta["auto"] == "bounce"


def test_new_case_is_acknowledged_after_commit(
    team_a: Team, django_capture_on_commit_callbacks: object
) -> None:
    team_a.email = "support@example.com"
    team_a.save(update_fields=["email"])
    mailbox = Mailbox.objects.create(
        name="Support", team=team_a, host="imap.example.com", username="u", acknowledge=True
    )

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        ingest(message(), mailbox=mailbox)

    ack = Interaction.objects.get(direction=Interaction.Direction.OUTBOUND)
    assert ack.meta["auto"] == "acknowledgement"
    assert ack.meta["to"] == "jan@example.pl"


def test_automatic_mail_is_never_acknowledged(
    team_a: Team, django_capture_on_commit_callbacks: object
) -> None:
    mailbox = Mailbox.objects.create(
        name="Support", team=team_a, host="imap.example.com", username="u", acknowledge=True
    )

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        ingest(message(headers="Auto-Submitted: auto-replied\r\n"), mailbox=mailbox)

    interaction = Interaction.objects.get()
    assert interaction.meta["auto"] == "auto_reply"
    assert interaction.direction == Interaction.Direction.INBOUND
    assert mail.outbox == []


def test_inline_image_points_at_its_attachment(team_a: Team) -> None:
    raw = (
        b"From: jan@example.pl\r\nSubject: zdjecie\r\nMessage-ID: <img@example.pl>\r\n"
        b'Content-Type: multipart/related; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b'<p>Zobacz:</p><img src="cid:foto1@example.pl" alt="foto">\r\n'
        b"--b\r\nContent-Type: image/png\r\nContent-ID: <foto1@example.pl>\r\n"
        b"Content-Disposition: inline; filename=foto.png\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n"
    )

    ingest(raw, team=team_a)

    interaction = Interaction.objects.get()
    attachment = Attachment.objects.get()
    url = reverse("cases:attachment", args=[interaction.case.number, attachment.pk])
    assert attachment.is_inline is True
    assert attachment.content_id == "foto1@example.pl"
    assert interaction.body_html == f'<p>Zobacz:</p><img src="{url}" alt="foto">'


def test_hostile_html_is_stored_inert(team_a: Team) -> None:
    html = (
        "<p onclick=\"alert(1)\">Hi<script>alert('x')</script></p>"
        '<a href="javascript:alert(2)">link</a>'
        '<div style="width: expression(alert(3))">css</div>'
        "<style>body{background:url(javascript:alert(4))}</style>"
        '<svg onload="alert(5)"><script>alert(6)</script></svg>'
        '<img src="x" onerror="alert(7)">'
        '<iframe src="https://evil.example"></iframe>'
        '<a href="https://ok.example/">ok</a>'
    )
    raw = (
        "From: jan@example.pl\r\nSubject: hostile\r\nMessage-ID: <h@example.pl>\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        f"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
        "--b\r\nContent-Type: image/svg+xml\r\nContent-Disposition: attachment; filename=a.svg"
        '\r\n\r\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(8)"/>\r\n'
        "--b\r\nContent-Type: text/html\r\nContent-Disposition: attachment; filename=p.html"
        "\r\n\r\n<script>alert(9)</script>\r\n--b--\r\n"
    ).encode()

    ingest(raw, team=team_a)

    interaction = Interaction.objects.get()
    assert interaction.body_html == (
        '<p>Hi</p><a rel="noopener noreferrer nofollow">link</a><div>css</div>'
        '<img src="x"><a href="https://ok.example/" rel="noopener noreferrer nofollow">ok</a>'
    )
    assert sorted(interaction.attachments.values_list("filename", "content_type")) == [
        ("a.svg", "application/octet-stream"),
        ("p.html", "application/octet-stream"),
    ]


def test_unparsable_message_is_quarantined_and_can_be_retried(team_a: Team) -> None:
    Team.objects.all().delete()
    inbound = store_raw(message(), team=None)
    process_message(inbound)
    inbound.refresh_from_db()
    quarantined_error = inbound.error
    team = Team.objects.create(name="Support")

    outcome = retry_quarantined(inbound)

    inbound.refresh_from_db()
    assert quarantined_error == (
        "opiekun.channels.email.inbound.Unroutable: No team exists to receive the message."
    )
    assert outcome.status == InboundMessage.Status.PROCESSED
    assert inbound.status == InboundMessage.Status.PROCESSED
    assert inbound.error == ""
    assert inbound.interaction is not None
    assert inbound.interaction.case.team == team


def test_mailbox_secrets_are_encrypted_at_rest(team_a: Team) -> None:
    mailbox = Mailbox.objects.create(
        name="Support",
        team=team_a,
        host="imap.example.com",
        username="u",
        password_encrypted=encrypt_secret("hunter2-hasło"),
    )

    stored = Mailbox.objects.values_list("password_encrypted", flat=True).get(pk=mailbox.pk)

    assert "hunter2" not in stored
    assert decrypt_secret(stored) == "hunter2-hasło"
