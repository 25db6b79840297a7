"""Messages go through in chunks: two commits per chunk, each message undone alone on failure."""

from typing import Any

import pytest

from opiekun.accounts.models import Team
from opiekun.cases.models import Case, Interaction
from opiekun.cases.services import add_interaction
from opiekun.channels.email import inbound
from opiekun.channels.email.inbound import Delivery, chunks, ingest_many, store_raw_many
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.tests.test_inbound import message
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
    real = add_interaction

    def failing(case: Case, **kwargs: Any) -> Interaction:
        if kwargs["external_id"] == "<bad@example.pl>":
            raise RuntimeError("storage went away")
        return real(case, **kwargs)

    monkeypatch.setattr(inbound, "add_interaction", failing)
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
