"""A message is the same message whatever route it took: duplicates are recognised by what its
author wrote, not by its bytes, and its Message-ID is read as the parser reads it."""

from pathlib import Path

import pytest
from django.core.management import call_command

from opiekun.accounts.models import Team
from opiekun.cases.models import Case, Interaction
from opiekun.channels.email.inbound import Delivery, ingest, ingest_many
from opiekun.channels.email.models import InboundMessage
from opiekun.channels.email.parsing import message_identity, parse_message
from opiekun.channels.email.tests.test_inbound import message
from opiekun.channels.email.tests.test_trust import HOSTILE

NO_ID = (HOSTILE / "no_message_id.eml").read_bytes()
SECOND_ROUTE = (
    b"Received: from mx2.example.pl by mx.example.com; Wed, 2 Dec 2026 10:00:03 +0100\r\n"
)
TRACE = (
    b"Received: from relay.example.net by mx.example.com; Wed, 2 Dec 2026 10:00:09 +0100\r\n"
    b"Return-Path: <jan@example.pl>\r\nDelivered-To: support@example.com\r\n"
    b"X-Spam-Score: 0.1\r\nAuthentication-Results: mx.example.com; dkim=pass\r\n"
)


def test_a_message_without_message_id_by_two_routes_is_one_case(team_a: Team) -> None:
    first = ingest(NO_ID, team=team_a)

    second = ingest(SECOND_ROUTE + NO_ID, team=team_a)

    rows = list(InboundMessage.objects.order_by("id"))
    interaction = Interaction.objects.get()
    assert (first.status, second.status) == (
        InboundMessage.Status.PROCESSED,
        InboundMessage.Status.DUPLICATE,
    )
    assert Case.objects.count() == 1
    assert rows[1].duplicate_of == rows[0]
    # A Message-ID made from the content, the same for both copies, on the interaction too.
    assert rows[0].message_id == rows[1].message_id
    assert rows[0].message_id.startswith("<derived.")
    assert rows[0].message_id.endswith("@opiekun.invalid>")
    assert interaction.external_id == rows[0].message_id


def test_two_routes_within_one_chunk_are_one_case(team_a: Team) -> None:
    outcomes = ingest_many([Delivery(NO_ID), Delivery(SECOND_ROUTE + NO_ID)], team=team_a)

    assert [o.status for o in outcomes] == [
        InboundMessage.Status.PROCESSED,
        InboundMessage.Status.DUPLICATE,
    ]
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    "redelivered",
    [
        lambda raw: TRACE + raw,  # more trace headers on the way
        lambda raw: raw.replace(b"\r\n", b"\n"),  # line ends changed by a mail store
        lambda raw: raw + b"\r\n\r\n",  # trailing blank lines added
    ],
    ids=["trace-headers", "line-ends", "trailing-lines"],
)
def test_a_redelivered_copy_with_a_message_id_is_a_duplicate(
    team_a: Team, redelivered: object
) -> None:
    raw = message()
    ingest(raw, team=team_a)

    outcome = ingest(redelivered(raw), team=team_a)  # type: ignore[operator]

    assert outcome.status == InboundMessage.Status.DUPLICATE
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize(
    "changed",
    [
        {"body": "Inna treść."},
        {"subject": "Inny temat"},
        {"sender": "Ewa <ewa@example.pl>"},
    ],
)
def test_same_message_id_with_other_content_is_not_a_duplicate(
    team_a: Team, changed: dict[str, str]
) -> None:
    ingest(message(), team=team_a)

    outcome = ingest(message(**changed), team=team_a)

    assert outcome.status == InboundMessage.Status.PROCESSED


def test_messages_without_id_that_differ_are_not_duplicates(team_a: Team) -> None:
    ingest(NO_ID, team=team_a)

    outcome = ingest(NO_ID.replace(b"nie wiruje", b"nie grzeje"), team=team_a)

    assert outcome.status == InboundMessage.Status.PROCESSED
    assert Case.objects.count() == 2


def test_a_folded_message_id_is_read_as_the_parser_reads_it() -> None:
    raw = (HOSTILE / "folded_message_id.eml").read_bytes()

    message_id, _digest = message_identity(raw)

    assert message_id == parse_message(raw).message_id == "<folded1@example.pl>"
    # Only the head (what a size-limited store keeps) gives the same id.
    assert message_identity(raw[: raw.index(b"Pralka nie")])[0] == "<folded1@example.pl>"


def test_a_file_with_a_folded_message_id_imported_twice_is_one_case(
    team_a: Team, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "folded.eml"
    path.write_bytes((HOSTILE / "folded_message_id.eml").read_bytes())

    call_command("ingest_mail", str(path), team=team_a.name)
    call_command("ingest_mail", str(path), team=team_a.name)

    assert list(InboundMessage.objects.order_by("id").values_list("message_id", "status")) == [
        ("<folded1@example.pl>", InboundMessage.Status.PROCESSED),
        ("<folded1@example.pl>", InboundMessage.Status.DUPLICATE),
    ]
    assert Case.objects.count() == 1
    capsys.readouterr()


def test_identity_never_raises() -> None:
    for raw in (b"", b"\x00\xff garbage", b"Subject: x", b"From: a@b.pl\r\n\r\n\xff\xfe"):
        message_id, digest = message_identity(raw)
        assert message_id == ""
        assert len(digest) == 64
