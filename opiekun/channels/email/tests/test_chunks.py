"""Messages go through in chunks: two commits per chunk, each message undone alone on failure."""

import logging
from typing import Any

import pytest

from opiekun.accounts.models import Team
from opiekun.cases.models import Case, Interaction
from opiekun.channels.email import inbound
from opiekun.channels.email.inbound import (
    Delivery,
    chunks,
    ingest,
    ingest_many,
    retry_quarantined,
    store_raw_many,
)
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.parsing import ParsedMessage
from opiekun.channels.email.tests.test_corpus import MESSAGES
from opiekun.channels.email.tests.test_inbound import message, reply_and_its_bounce
from opiekun.customers.models import Customer


def test_a_chunk_opens_cases_threads_and_counts_duplicates(team_a: Team) -> None:
    first = message(message_id="<a1@example.pl>")
    reply = message(
        message_id="<a2@example.pl>",
        subject="Re: Zepsuta pralka",
        headers="In-Reply-To: <a1@example.pl>\r\n",
    )
    other = message(sender="Mari Tamm <mari@example.ee>", message_id="<b1@example.ee>")

    outcomes = ingest_many(
        [Delivery(first), Delivery(reply), Delivery(other), Delivery(first)], team=team_a
    )

    assert [(o.status, o.case_created) for o in outcomes] == [
        (InboundMessage.Status.PROCESSED, True),
        (InboundMessage.Status.PROCESSED, False),
        (InboundMessage.Status.PROCESSED, True),
        (InboundMessage.Status.DUPLICATE, False),
    ]
    jan = Case.objects.get(customer__identities__value="jan@example.pl")
    assert list(jan.interactions.values_list("external_id", flat=True).order_by("id")) == [
        "<a1@example.pl>",
        "<a2@example.pl>",
    ]
    assert Customer.objects.count() == 2  # Jan's two messages: one customer
    rows = list(InboundMessage.objects.order_by("id"))
    assert rows[3].duplicate_of_id == rows[0].pk


def test_a_failing_message_is_undone_alone(team_a: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    real = inbound.finish

    def failing(row: InboundMessage, parsed: ParsedMessage, *args: Any, **kwargs: Any) -> None:
        # After its customer, case and interaction were written.
        if parsed.message_id == "<bad@example.pl>":
            raise RuntimeError("storage went away")
        real(row, parsed, *args, **kwargs)

    monkeypatch.setattr(inbound, "finish", failing)
    good = message(message_id="<good@example.pl>")
    bad = message(sender="Ewa <ewa@example.pl>", message_id="<bad@example.pl>")

    outcomes = ingest_many([Delivery(bad), Delivery(good), Delivery(b"not an email")], team=team_a)

    assert [o.status for o in outcomes] == [
        InboundMessage.Status.QUARANTINED,
        InboundMessage.Status.PROCESSED,
        InboundMessage.Status.QUARANTINED,
    ]
    # The failed message's case and customer were undone; the raw bytes and the error kept.
    assert list(Case.objects.values_list("customer__identities__value", flat=True)) == [
        "jan@example.pl"
    ]
    assert not Customer.objects.filter(identities__value="ewa@example.pl").exists()
    quarantined = InboundMessage.objects.get(message_id="<bad@example.pl>")
    assert "RuntimeError: storage went away" in quarantined.error
    assert bytes(quarantined.raw) == bad
    assert quarantined.interaction is None


def test_a_message_fetched_again_returns_its_first_row(team_a: Team) -> None:
    box = Mailbox.objects.create(name="Support", team=team_a, host="imap.example.com")
    first = store_raw_many([Delivery(message(), imap_uid="7:1")], mailbox=box)

    again = store_raw_many(
        [
            Delivery(message(message_id="<x@example.pl>"), imap_uid="7:2"),
            Delivery(message(), imap_uid="7:1"),
        ],
        mailbox=box,
    )

    assert again[1].pk == first[0].pk
    assert again[0].pk != first[0].pk
    assert InboundMessage.objects.count() == 2
    assert InboundMessage.objects.get(pk=again[0].pk).team == team_a


def test_chunks_are_bounded_by_count_and_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inbound, "CHUNK", 3)
    monkeypatch.setattr(inbound, "CHUNK_BYTES", 10)

    sizes = [
        [len(d.raw) for d in chunk]
        for chunk in chunks(Delivery(b"x" * n) for n in [2, 2, 2, 2, 9, 1, 20])
    ]

    assert sizes == [[2, 2, 2], [2], [9, 1], [20]]


def test_a_bounce_in_a_chunk_marks_our_reply_failed(team_a: Team) -> None:
    case, reply, dsn = reply_and_its_bounce(team_a)

    outcomes = ingest_many([Delivery(message()), Delivery(dsn)], team=team_a)

    reply.refresh_from_db()
    assert [o.case_created for o in outcomes] == [True, False]
    assert reply.delivery_status == Interaction.DeliveryStatus.FAILED
    assert Interaction.objects.get(external_id="<dsn1@mx.example.pl>").case == case


def _what_each_message_became() -> list[tuple[object, ...]]:
    """Per stored message, everything but ids and numbers; a case is named by the source of
    the first message on it."""
    first_on_case: dict[int, str] = {}
    found: list[tuple[object, ...]] = []
    for row in InboundMessage.objects.order_by("id").select_related("interaction__case"):
        interaction = row.interaction
        if interaction is None:
            found.append((row.source, row.status))
            continue
        case = interaction.case
        first_on_case.setdefault(case.pk, row.source)
        found.append(
            (
                row.source,
                row.status,
                first_on_case[case.pk],
                case.subject,
                case.customer.name,
                sorted(case.customer.identities.values_list("value", flat=True)),
                interaction.body_text,
                interaction.body_html.count("cid:"),
                sorted(interaction.attachments.values_list("filename", "size")),
                sorted(case.sla_targets.values_list("kind", "budget")),
                interaction.meta.get("from"),
            )
        )
    return found


def test_chunks_write_what_one_by_one_writes(
    team_a: Team, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = [path.read_bytes() for path in MESSAGES]
    replies = [
        message(
            sender=f"Klient {n} <klient{n % 7}@example.pl>",
            message_id=f"<r{n}@example.pl>",
            subject=f"Re: {n}",
            headers=f"In-Reply-To: <r{n - 3}@example.pl>\r\n" if n % 2 else "",
        )
        for n in range(60)
    ]
    raws = corpus + replies + corpus[:5]  # the last five again: duplicates
    deliveries = [Delivery(raw, source=str(index)) for index, raw in enumerate(raws)]

    with caplog.at_level(logging.INFO, logger="opiekun.channels.email.inbound"):
        together = [o for chunk in chunks(deliveries) for o in ingest_many(chunk, team=team_a)]
    written_together = _what_each_message_became()
    # Every chunk was written together, none fell back to one by one.
    assert "one message at a time" not in caplog.text
    for model in (InboundMessage, Case, Customer):
        model.objects.all().delete()
    alone = [ingest(d.raw, team=team_a, source=d.source) for d in deliveries]

    assert together == alone
    assert _what_each_message_became() == written_together
    assert [o.status for o in alone[-5:]] == [InboundMessage.Status.DUPLICATE] * 5


def test_a_quarantined_message_delivered_again_is_a_duplicate_of_it(team_a: Team) -> None:
    broken = b"not an email at all"

    first = ingest(broken, team=team_a)
    again = ingest_many([Delivery(broken), Delivery(message())], team=team_a)

    assert first.status == InboundMessage.Status.QUARANTINED
    assert [o.status for o in again] == [
        InboundMessage.Status.DUPLICATE,
        InboundMessage.Status.PROCESSED,
    ]
    kept = InboundMessage.objects.get(status=InboundMessage.Status.QUARANTINED)
    assert InboundMessage.objects.get(status=InboundMessage.Status.DUPLICATE).duplicate_of == kept
    # The copy kept in the quarantine is still the one to process again after a fix.
    assert retry_quarantined(kept).status == InboundMessage.Status.QUARANTINED
