"""Automatic mail: out-of-office replies reopen nothing, loops with other robots stop, bounces
without a DSN find their case (issue #12, section 2)."""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Interaction
from opiekun.channels.email import loops
from opiekun.channels.email.inbound import ingest
from opiekun.channels.email.models import Mailbox
from opiekun.channels.email.outbound import may_send_automatic
from opiekun.channels.email.parsing import AUTO_REPLY, BOUNCE, parse_message
from opiekun.channels.email.tests.test_inbound import message
from opiekun.channels.email.tests.test_trust import hostile, inbound_on, jan_case

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def support(team_a: Team) -> Team:
    team_a.email = "support@example.com"
    team_a.save(update_fields=["email"])
    return team_a


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Re: Pralka",
        "Automatic reply: Pralka",
        "Autoreply: Pralka",
        "I am on vacation",
        "Odp: Nieobecność w biurze",
        "Automatyczna odpowiedź: Pralka",
        "Poza biurem do 5 stycznia",
        "Jestem na urlopie",
        "Automaatne vastus: Pralka",
        "Puhkusel kuni 5. jaanuarini",
        "Kontorist eemal",
    ],
)
def test_out_of_office_subjects_are_automatic(subject: str) -> None:
    assert parse_message(message(subject=subject)).auto == AUTO_REPLY


@pytest.mark.parametrize("subject", ["Pytanie o urlop", "Re: Pralka", "Puhkuse tasu"])
def test_ordinary_subjects_are_not_automatic(subject: str) -> None:
    assert parse_message(message(subject=subject)).auto == ""


@pytest.mark.parametrize(
    "header",
    ["Auto-Submitted: auto-replied", "X-Autoreply: yes", "Precedence: auto_reply"],
)
def test_out_of_office_headers_are_automatic(header: str) -> None:
    assert parse_message(message(subject="Pralka", headers=f"{header}\r\n")).auto == AUTO_REPLY


def test_out_of_office_to_a_resolved_case_stays_on_it_and_reopens_nothing(support: Team) -> None:
    case, signed_id = jan_case(support, status=Case.Status.RESOLVED)

    outcome = ingest(hostile("out_of_office.eml", signed_id=signed_id), team=support)

    case.refresh_from_db()
    assert outcome.case_created is False
    assert case.status == Case.Status.RESOLVED
    assert [i.meta["auto"] for i in inbound_on(case)] == [AUTO_REPLY]


@pytest.mark.parametrize("status", [Case.Status.CLOSED, Case.Status.PENDING_CUSTOMER])
def test_out_of_office_to_a_closed_or_waiting_case_opens_nothing(
    support: Team, status: str
) -> None:
    case, signed_id = jan_case(support, status=status)

    outcome = ingest(hostile("out_of_office.eml", signed_id=signed_id), team=support)

    case.refresh_from_db()
    assert outcome.case_created is False
    assert Case.objects.count() == 1
    assert case.status == status
    assert [i.meta["auto"] for i in inbound_on(case)] == [AUTO_REPLY]


def test_a_person_writing_to_a_closed_case_still_opens_a_new_one(support: Team) -> None:
    case, signed_id = jan_case(support, status=Case.Status.CLOSED)

    outcome = ingest(message(headers=f"In-Reply-To: {signed_id}\r\n"), team=support)

    assert outcome.case_created is True
    assert inbound_on(case) == []


def test_out_of_office_gets_no_acknowledgement(
    support: Team, django_capture_on_commit_callbacks: Capture
) -> None:
    Mailbox.objects.create(name="Support", team=support, host="h", username="u", acknowledge=True)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = ingest(message(subject="Automatic reply: Pralka"), mailbox=Mailbox.objects.get())

    assert outcome.case_created is True
    assert not Interaction.objects.filter(direction=Interaction.Direction.OUTBOUND).exists()
    assert mail.outbox == []


# ----------------------------------------------------------------------------- bounces


@pytest.mark.parametrize("name", ["bounce_quoted.eml"])
def test_a_bounce_quoting_our_reply_marks_it_failed_on_its_case(support: Team, name: str) -> None:
    case, signed_id = jan_case(support, status=Case.Status.RESOLVED)

    outcome = ingest(hostile(name, signed_id=signed_id, number=case.number), team=support)

    case.refresh_from_db()
    reply = case.interactions.get(external_id=signed_id)
    assert outcome.case_created is False
    assert [i.meta["auto"] for i in inbound_on(case)] == [BOUNCE]
    assert reply.delivery_status == Interaction.DeliveryStatus.FAILED
    assert case.status == Case.Status.RESOLVED


def test_a_bounce_with_only_the_case_tag_in_indented_text_joins_the_case(support: Team) -> None:
    case, signed_id = jan_case(support)

    outcome = ingest(hostile("bounce_indented.eml", number=case.number), team=support)

    assert outcome.case_created is False
    assert [i.meta["auto"] for i in inbound_on(case)] == [BOUNCE]
    # Only our signed id says which reply failed; a tag says only which case.
    reply = case.interactions.get(external_id=signed_id)
    assert reply.delivery_status == Interaction.DeliveryStatus.NONE


def test_a_bounce_quoting_a_forged_id_of_ours_opens_a_case(support: Team) -> None:
    case, signed_id = jan_case(support)
    forged = signed_id.replace(signed_id.split(".")[4].split("@")[0], "f" * 16)

    outcome = ingest(
        hostile("bounce_quoted.eml", signed_id=forged, number="0000-000000"), team=support
    )

    assert outcome.case_created is True
    assert inbound_on(case) == []


# ----------------------------------------------------------------------------- loops


def robot(n: int) -> bytes:
    """Another helpdesk's acknowledgement of our acknowledgement: a new ticket every time,
    no loop headers, no threading headers, the subject wrapped again."""
    return message(
        sender="Helpdesk <help@otherdesk.example>",
        subject=f"[Ticket#{1000 + n}] Zgłoszenie przyjęte: Zepsuta pralka",
        message_id=f"<t{n}@otherdesk.example>",
        body="Dziękujemy za zgłoszenie.",
    )


def test_a_loop_with_another_helpdesk_stops_and_the_admins_hear_once(
    support: Team, admin_adam: User, django_capture_on_commit_callbacks: Capture
) -> None:
    mailbox = Mailbox.objects.create(
        name="Support", team=support, host="h", username="u", acknowledge=True
    )
    cache.clear()  # the once-a-day alert marker of an earlier test run

    for n in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            ingest(robot(n), mailbox=mailbox)

    acknowledgements = Interaction.objects.filter(
        direction=Interaction.Direction.OUTBOUND, meta__auto="acknowledgement"
    )
    # Rounds: ack 1 → ticket 2 (round 1) → ack 2 → ticket 3 (round 2: a loop). The hourly
    # cap alone would have let a third through.
    assert acknowledgements.count() == 2
    assert Case.objects.count() == 6  # every message is still kept and seen
    alerts = [m for m in mail.outbox if m.to == [admin_adam.email]]
    assert len(alerts) == 1
    assert "help@otherdesk.example" in alerts[0].subject
    assert loops.count_rounds("help@otherdesk.example") == 2


def test_a_customer_writing_twice_is_not_a_loop(
    support: Team, admin_adam: User, django_capture_on_commit_callbacks: Capture
) -> None:
    mailbox = Mailbox.objects.create(
        name="Support", team=support, host="h", username="u", acknowledge=True
    )

    for n, subject in enumerate(["Zepsuta pralka", "Faktura za luty", "Zmiana adresu"]):
        with django_capture_on_commit_callbacks(execute=True):
            ingest(message(subject=subject, message_id=f"<c{n}@example.pl>"), mailbox=mailbox)

    assert Interaction.objects.filter(meta__auto="acknowledgement").count() == 3
    assert [m for m in mail.outbox if m.to == [admin_adam.email]] == []


def test_the_daily_cap_holds_when_the_hourly_window_is_clear(
    support: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, _signed_id = jan_case(support)
    for _ in range(loops.DAILY_LIMIT):
        Interaction.objects.create(
            case=case,
            channel="email",
            direction=Interaction.Direction.OUTBOUND,
            meta={"auto": "acknowledgement", "to": "jan@example.pl"},
        )
    monkeypatch.setattr("opiekun.channels.email.outbound.AUTOMATIC_LIMIT", 1000)

    assert may_send_automatic("jan@example.pl") is False
    assert may_send_automatic("ewa@example.pl") is True


def test_subject_keys_ignore_prefixes_tags_and_numbers() -> None:
    assert loops.subject_key("Re: [#2026-000123] AW: Zepsuta pralka (#4411)") == "zepsuta pralka"
