"""Nothing in a header proves who sent it: threading verifies signed ids and participants,
addresses are parsed before they are decoded, Reply-To is shown but never trusted, and mail
claiming to be ours or staff's never becomes a customer's words (issue #12, section 1)."""

from pathlib import Path
from string import Template

import pytest
from django.core import mail

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, CaseLink, Channel, Interaction
from opiekun.cases.services import add_interaction, change_status, open_case
from opiekun.channels.email.inbound import ingest
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.outbound import message_id_for
from opiekun.channels.email.parsing import parse_mailboxes, parse_message
from opiekun.channels.email.tests.test_inbound import message
from opiekun.channels.email.threading import (
    read_our_message_id,
    reply_address_for,
    signed_message_id,
)
from opiekun.customers.models import Customer, Identity
from opiekun.customers.services import find_or_create_customer
from opiekun.portal.selectors import public_interactions

HOSTILE = Path(__file__).parent / "hostile"


def hostile(name: str, **values: str) -> bytes:
    """A hostile message from hostile/, its $placeholders filled in."""
    text = (HOSTILE / name).read_bytes().decode()
    return Template(text).safe_substitute(values).encode()


@pytest.fixture
def support(team_a: Team) -> Team:
    team_a.email = "support@example.com"
    team_a.save(update_fields=["email"])
    return team_a


def jan_case(team: Team, *, status: str = "") -> tuple[Case, str]:
    """Jan's case with our signed reply on it; returns the case and that reply's Message-ID."""
    jan = find_or_create_customer(email="jan@example.pl", name="Jan Kowalski")
    case = open_case(customer=jan, team=team, subject="Pralka", channel=Channel.EMAIL)
    reply = add_interaction(
        case,
        channel=Channel.EMAIL,
        direction=Interaction.Direction.OUTBOUND,
        body_text="Prosimy o numer seryjny.",
    )
    reply.external_id = message_id_for(reply)
    reply.save(update_fields=["external_id"])
    if status:
        change_status(case, status=status, by=None)
    case.refresh_from_db()
    return case, reply.external_id


def inbound_on(case: Case) -> list[Interaction]:
    return list(case.interactions.filter(direction=Interaction.Direction.INBOUND))


# ----------------------------------------------------------------------------- signatures


def test_our_message_ids_are_signed_and_verified(support: Team) -> None:
    case, message_id = jan_case(support)

    ours = read_our_message_id(message_id)
    tampered = message_id.replace(f".{case.number}.", ".2026-999999.")

    assert ours is not None
    assert (ours.number, ours.signed, ours.forged) == (case.number, True, False)
    forged = read_our_message_id(tampered)
    assert forged is not None
    assert (forged.signed, forged.forged) == (False, True)
    legacy = read_our_message_id(f"<opiekun.{case.number}.7.0a1b2c3d@example.com>")
    assert legacy is not None
    assert (legacy.signed, legacy.forged) == (False, False)
    assert read_our_message_id("<c1@example.pl>") is None


def test_signature_depends_on_the_secret_key(settings: pytest.FixtureRequest) -> None:
    first = signed_message_id("2026-000001", 1, "0a1b2c3d", "example.com")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"  # type: ignore[attr-defined]

    second = signed_message_id("2026-000001", 1, "0a1b2c3d", "example.com")

    assert first != second
    assert read_our_message_id(first) is not None
    assert read_our_message_id(first).forged is True  # type: ignore[union-attr]


# ----------------------------------------------------------------------------- threading


def test_the_customer_joins_by_our_signed_id_and_reopens_a_resolved_case(support: Team) -> None:
    case, signed_id = jan_case(support, status=Case.Status.RESOLVED)

    outcome = ingest(
        message(message_id="<c2@example.pl>", headers=f"In-Reply-To: {signed_id}\r\n"),
        team=support,
    )

    case.refresh_from_db()
    assert outcome.case_created is False
    assert case.status == Case.Status.OPEN
    assert [i.external_id for i in inbound_on(case)] == ["<c2@example.pl>"]


def test_a_guessed_unsigned_id_from_a_stranger_opens_an_unlinked_case(support: Team) -> None:
    case, _signed_id = jan_case(support, status=Case.Status.RESOLVED)

    outcome = ingest(hostile("guessed_message_id.eml", number=case.number), team=support)

    case.refresh_from_db()
    new = Case.objects.exclude(pk=case.pk).get()
    assert outcome.case_created is True
    assert case.status == Case.Status.RESOLVED
    assert inbound_on(case) == []
    assert new.customer.identities.get().value == "mallory@evil.example"
    assert new.interactions.get().meta["not_participant"] is True
    assert "refers_to" not in new.interactions.get().meta
    assert not CaseLink.objects.exists()
    assert [i.body_text for i in public_interactions(case)] == ["Prosimy o numer seryjny."]


def test_an_old_unsigned_id_still_threads_for_the_customer(support: Team) -> None:
    """Compatibility: ids sent before signatures existed are known by their case number."""
    case, _signed_id = jan_case(support)
    legacy = f"<opiekun.{case.number}.1.00000000@example.com>"

    outcome = ingest(
        message(message_id="<c2@example.pl>", headers=f"In-Reply-To: {legacy}\r\n"),
        team=support,
    )

    assert outcome.case_created is False
    assert [i.external_id for i in inbound_on(case)] == ["<c2@example.pl>"]


@pytest.mark.parametrize("name", ["stolen_signed_id.eml", "reply_to_hijack.eml"])
def test_a_stranger_with_a_real_reference_gets_a_new_case_linked_to_it(
    support: Team, team_b: Team, name: str
) -> None:
    case, signed_id = jan_case(team_b, status=Case.Status.RESOLVED)

    outcome = ingest(hostile(name, signed_id=signed_id), team=support)

    case.refresh_from_db()
    new = Case.objects.exclude(pk=case.pk).get()
    interaction = new.interactions.get()
    assert outcome.case_created is True
    assert case.status == Case.Status.RESOLVED  # not reopened
    assert inbound_on(case) == []  # nothing in Jan's case or portal
    assert new.team == support  # the mailbox's team: no crossing into team B's case
    assert new.customer.identities.get().value == "mallory@evil.example"
    assert interaction.meta["not_participant"] is True
    assert interaction.meta["refers_to"] == case.number
    link = CaseLink.objects.get()
    assert (link.source, link.target, link.kind) == (new, case, CaseLink.Kind.RELATED)


def test_reply_to_is_stored_and_shown_but_never_an_identity(support: Team) -> None:
    case, signed_id = jan_case(support)

    ingest(hostile("reply_to_hijack.eml", signed_id=signed_id), team=support)

    interaction = Interaction.objects.get(external_id="<hijack1@evil.example>")
    assert interaction.meta["from"] == "mallory@evil.example"
    assert interaction.meta["reply_to"] == "jan@example.pl"
    assert interaction.customer is not None
    assert interaction.customer != case.customer
    assert Identity.objects.filter(value="jan@example.pl").count() == 1


def test_reply_to_without_a_usable_from_gives_no_identity(support: Team) -> None:
    raw = message(sender="Jan Kowalski", headers="Reply-To: jan@example.pl\r\n")

    ingest(raw, team=support)

    interaction = Interaction.objects.get()
    assert interaction.meta["reply_to"] == "jan@example.pl"
    assert interaction.customer is not None
    assert not interaction.customer.identities.exists()


def test_reply_to_shows_on_the_timeline(
    support: Team, agent_ann: User, client: pytest.FixtureRequest
) -> None:
    ingest(message(headers="Reply-To: Biuro <biuro@example.pl>\r\n"), team=support)
    case = Case.objects.get()

    client.force_login(agent_ann)  # type: ignore[attr-defined]
    page = client.get(case.get_absolute_url()).content.decode()  # type: ignore[attr-defined]

    assert "biuro@example.pl" in page
    assert "(Reply-To)" in page


def test_a_forged_signature_is_no_reference_and_is_flagged(support: Team) -> None:
    case, _signed_id = jan_case(support)

    outcome = ingest(hostile("forged_signature.eml", number=case.number), team=support)

    new = Case.objects.exclude(pk=case.pk).get()
    assert outcome.case_created is True
    assert inbound_on(case) == []
    assert new.interactions.get().meta["forged_reference"] is True
    assert not CaseLink.objects.exists()


def test_a_forged_signature_from_the_customer_does_not_thread_either(support: Team) -> None:
    case, signed_id = jan_case(support)
    forged = signed_id.replace(signed_id.split(".")[4].split("@")[0], "0" * 16)

    outcome = ingest(
        message(message_id="<c2@example.pl>", headers=f"In-Reply-To: {forged}\r\n"), team=support
    )

    assert outcome.case_created is True
    assert inbound_on(case) == []


def test_a_stranger_writing_to_the_case_reply_address_gets_a_linked_case(support: Team) -> None:
    case, _signed_id = jan_case(support)

    outcome = ingest(
        message(sender="Mallory <mallory@evil.example>", to=reply_address_for(case)),
        team=support,
    )

    new = Case.objects.exclude(pk=case.pk).get()
    assert outcome.case_created is True
    assert inbound_on(case) == []
    assert new.interactions.get().meta["refers_to"] == case.number


def test_someone_copied_on_the_case_is_a_participant(support: Team) -> None:
    case, signed_id = jan_case(support)
    ingest(
        message(
            message_id="<c2@example.pl>",
            headers=f"Cc: Ewa <ewa@example.pl>\r\nIn-Reply-To: {signed_id}\r\n",
        ),
        team=support,
    )

    outcome = ingest(
        message(
            sender="Ewa <ewa@example.pl>",
            message_id="<e1@example.pl>",
            headers="In-Reply-To: <c2@example.pl>\r\n",
        ),
        team=support,
    )

    assert outcome.case_created is False
    assert [i.external_id for i in inbound_on(case)] == ["<c2@example.pl>", "<e1@example.pl>"]


def test_a_stranger_replying_within_the_same_chunk_is_kept_apart(support: Team) -> None:
    from opiekun.channels.email.inbound import Delivery, ingest_many

    first = message(message_id="<a1@example.pl>")
    stranger = message(
        sender="mallory@evil.example",
        message_id="<m1@evil.example>",
        headers="In-Reply-To: <a1@example.pl>\r\n",
    )

    outcomes = ingest_many([Delivery(first), Delivery(stranger)], team=support)

    assert [o.case_created for o in outcomes] == [True, True]
    jan = Case.objects.get(customer__identities__value="jan@example.pl")
    assert [i.external_id for i in jan.interactions.all()] == ["<a1@example.pl>"]
    assert CaseLink.objects.get().target == jan


# ----------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Jan Kowalski <jan@example.pl>", [("Jan Kowalski", "jan@example.pl")]),
        ("jan@example.pl", [("", "jan@example.pl")]),
        ("Test test@example.com", [("Test", "test@example.com")]),  # unquoted name, no <>
        ("Jan <jan@example.pl", [("Jan", "jan@example.pl")]),  # unbalanced bracket
        # The customer's address in the display name: the real addr-spec wins, no name shown.
        ("alice@x.pl <mallory@y.pl>", [("", "mallory@y.pl")]),
        ('"alice@x.pl" <mallory@y.pl>', [("", "mallory@y.pl")]),
        ('"Alice <alice@x.pl>" <mallory@y.pl>', [("", "mallory@y.pl")]),
        ("mallory@y.pl (alice@x.pl)", [("", "mallory@y.pl")]),
        # Encoded words hiding an address, "<", "," or ">": decoded only after parsing.
        ("=?utf-8?q?alice@x.pl_=3C?= <mallory@y.pl>", [("", "mallory@y.pl")]),
        ("=?utf-8?b?YWxpY2VAeC5wbCA8YWxpY2VAeC5wbD4=?= <mallory@y.pl>", [("", "mallory@y.pl")]),
        ("=?utf-8?q?Alice_=2C_alice=40x=2Epl?= <mallory@y.pl>", [("", "mallory@y.pl")]),
        ("=?utf-8?q?Zo=C5=9Bka?= <zoska@example.pl>", [("Zośka", "zoska@example.pl")]),
        # A double @ is no address at all, in brackets or bare.
        ("alice@x.pl@y.pl", []),
        ("Alice <alice@x.pl@evil.com>", []),
        # Two bare addresses: which one wrote is unknown.
        ("alice@x.pl mallory@y.pl", []),
        ("alice@x.pl <mallory@y.pl> <z@z.pl>", [("", "z@z.pl")]),
        ('"alice@x.pl"@y.pl', []),
        ("Alice <alice>", []),
    ],
)
def test_tricky_from_forms(value: str, expected: list[tuple[str, str]]) -> None:
    assert parse_mailboxes(value) == expected


@pytest.mark.parametrize("name", ["from_display_address.eml", "from_encoded_address.eml"])
def test_an_address_in_the_display_name_is_never_the_customer(support: Team, name: str) -> None:
    jan = find_or_create_customer(email="jan@example.pl", name="Jan Kowalski")

    ingest(hostile(name), team=support)

    interaction = Interaction.objects.get()
    assert interaction.customer is not None
    assert interaction.customer != jan
    assert interaction.meta["from"] == "mallory@evil.example"
    assert list(interaction.customer.identities.values_list("value", flat=True)) == [
        "mallory@evil.example"
    ]
    assert "@" not in interaction.customer.name


def test_several_from_addresses_take_the_sender() -> None:
    raw = message(sender="jan@example.pl, mallory@evil.example", headers="Sender: ewa@x.pl\r\n")

    parsed = parse_message(raw)

    assert (parsed.from_name, parsed.from_addr) == ("", "ewa@x.pl")


def test_a_forwarded_block_with_an_address_in_the_name_is_not_that_address(
    support: Team, agent_ann: User
) -> None:
    body = (
        "Zobaczcie.\r\n\r\n---------- Forwarded message ---------\r\n"
        "From: jan@example.pl <mallory@evil.example>\r\nSubject: Pralka\r\n\r\nTekst.\r\n"
    )

    parsed = parse_message(message(sender=f"Ann <{agent_ann.email}>", body=body))

    assert parsed.forwarded_from == ("", "mallory@evil.example")


# ----------------------------------------------------------------------------- ours and staff


def test_mail_from_our_own_address_makes_no_customer_no_case_no_acknowledgement(
    support: Team,
) -> None:
    Mailbox.objects.create(
        name="Support", team=support, host="127.0.0.1", username="support@example.com",
        acknowledge=True,
    )  # fmt: skip

    outcome = ingest(hostile("from_our_address.eml"), mailbox=Mailbox.objects.get())

    assert outcome.status == InboundMessage.Status.QUARANTINED
    assert "our own or a staff address" in InboundMessage.objects.get().error
    assert not Customer.objects.exists()
    assert not Case.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "sender",
    [
        "support@example.com",  # the team's address
        "SUPPORT+anything@example.com",  # a sub-address of it
        "helpdesk@example.org",  # another team's
        "desk@opiekun.example",  # DEFAULT_FROM_EMAIL
        "inbox@example.net",  # a mailbox's user name
    ],
)
def test_every_address_of_ours_is_recognised(
    support: Team, team_b: Team, sender: str, settings: pytest.FixtureRequest
) -> None:
    settings.DEFAULT_FROM_EMAIL = "Opiekun <desk@opiekun.example>"  # type: ignore[attr-defined]
    team_b.email = "Helpdesk <helpdesk@example.org>"
    team_b.save(update_fields=["email"])
    Mailbox.objects.create(name="Inbox", team=support, host="h", username="inbox@example.net")
    case, signed_id = jan_case(support)

    outcome = ingest(
        message(sender=sender, message_id="<o1@x.pl>", headers=f"In-Reply-To: {signed_id}\r\n"),
        team=support,
    )

    entry = case.interactions.get(external_id="<o1@x.pl>")
    assert outcome.case_created is False
    assert entry.direction == Interaction.Direction.INTERNAL
    assert entry.customer is None
    assert entry.meta["sender_is"] == "ours"
    assert Customer.objects.count() == 1  # Jan only


def test_a_spoofed_staff_address_is_no_customer_and_not_in_the_portal(
    support: Team, agent_ann: User, client: pytest.FixtureRequest
) -> None:
    case, signed_id = jan_case(support, status=Case.Status.RESOLVED)

    outcome = ingest(
        hostile("spoofed_staff.eml", signed_id=signed_id, staff=agent_ann.email.upper()),
        team=support,
    )

    case.refresh_from_db()
    entry = case.interactions.get(external_id="<staff1@evil.example>")
    assert outcome.case_created is False
    assert entry.direction == Interaction.Direction.INTERNAL
    assert entry.customer is None
    assert entry.author is None  # From proves nothing: not Ann's words either
    assert entry.meta["sender_is"] == "staff"
    assert case.status == Case.Status.RESOLVED
    assert not Identity.objects.filter(value=agent_ann.email.lower()).exists()
    assert entry not in public_interactions(case)
    client.force_login(agent_ann)  # type: ignore[attr-defined]
    page = client.get(case.get_absolute_url()).content.decode()  # type: ignore[attr-defined]
    assert "Email from the staff address" in page
