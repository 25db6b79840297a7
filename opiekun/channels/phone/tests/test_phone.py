import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Interaction
from opiekun.cases.tests.factories import CaseFactory
from opiekun.channels.phone.inbound import (
    PhoneError,
    complete_callback,
    handle_telephony_event,
    log_call,
    request_callback,
)
from opiekun.channels.phone.models import CallbackRequest, Outcome, PhoneCall
from opiekun.channels.phone.selectors import callback_delays, callback_queue, ringing_for
from opiekun.customers.models import Identity
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, second, tzinfo=WARSAW)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_call_from_a_new_number_creates_the_customer_and_a_case(
    team_a: Team, agent_ann: User
) -> None:
    interaction = log_call(
        number="600 100 200", direction="inbound", team=team_a, by=agent_ann,
        started_at=at(9), ended_at=at(9, 4, 30), outcome=Outcome.ANSWERED,
        notes="Pyta o termin dostawy", name="Jan Kowalski", subject="Termin dostawy",
    )  # fmt: skip

    case = interaction.case
    assert (case.channel, case.subject, case.customer.name) == (
        "phone",
        "Termin dostawy",
        "Jan Kowalski",
    )
    assert Identity.objects.get(customer=case.customer).value == "+48600100200"
    assert (interaction.handle_seconds, interaction.meta) == (
        270,
        {"outcome": "answered", "number": "+48600100200"},
    )


def test_a_returning_caller_is_found_by_any_spelling_of_the_number(
    team_a: Team, agent_ann: User
) -> None:
    known = CustomerFactory.create(name="Mari Tamm")
    IdentityFactory.create(customer=known, kind="phone", value="+37251234567")

    interaction = log_call(
        number="+372 5123 4567", direction="inbound", team=team_a, by=agent_ann,
        started_at=at(10), ended_at=at(10, 2), outcome=Outcome.RESOLVED,
    )  # fmt: skip

    assert interaction.case.customer == known


def test_a_call_cannot_go_on_another_customers_case(team_a: Team, agent_ann: User) -> None:
    other = CaseFactory.create(team=team_a)
    IdentityFactory.create(kind=Identity.Kind.PHONE, value="+48600100200")

    with pytest.raises(PhoneError):
        log_call(
            number="600100200", direction="inbound", team=team_a, by=agent_ann,
            started_at=at(9), ended_at=at(9, 1), outcome=Outcome.ANSWERED, case=other,
        )  # fmt: skip

    assert not other.interactions.exists()


def test_a_call_from_an_unknown_number_on_a_case_does_not_give_the_customer_that_number(
    team_a: Team, agent_ann: User
) -> None:
    case = CaseFactory.create(team=team_a)

    interaction = log_call(
        number="600100200", direction="inbound", team=team_a, by=agent_ann,
        started_at=at(9), ended_at=at(9, 1), outcome=Outcome.ANSWERED, case=case,
    )  # fmt: skip

    assert (interaction.case, interaction.customer) == (case, case.customer)
    assert interaction.meta["number"] == "+48600100200"
    assert not Identity.objects.filter(value="+48600100200").exists()


def test_callback_is_measured_from_request_to_call(team_a: Team, agent_ann: User) -> None:
    first = log_call(
        number="600100200", direction="inbound", team=team_a, by=agent_ann,
        started_at=at(9), ended_at=at(9, 3), outcome=Outcome.CALLBACK,
    )  # fmt: skip
    callback = request_callback(
        first.case.customer, number="600100200", due_at=at(15), reason="Sprawdzić zwrot",
        team=team_a, by=agent_ann, case=first.case,
    )  # fmt: skip
    CallbackRequest.objects.filter(pk=callback.pk).update(requested_at=at(9, 3))
    callback.refresh_from_db()

    complete_callback(callback, by=agent_ann, started_at=at(14, 10), ended_at=at(14, 15),
                      outcome=Outcome.RESOLVED, notes="Zwrot zlecony")  # fmt: skip

    assert callback_delays(CallbackRequest.objects.all()) == [timedelta(hours=5, minutes=7)]
    back = callback.interaction
    assert back is not None
    assert (back.case, back.direction, back.handle_seconds) == (first.case, "outbound", 300)
    assert list(callback_queue(agent_ann)) == []
    with pytest.raises(PhoneError):
        complete_callback(callback, by=agent_ann, started_at=at(15), ended_at=at(15, 1),
                          outcome=Outcome.RESOLVED)  # fmt: skip


def test_phone_system_events_log_each_call_once(team_a: Team, agent_ann: User) -> None:
    known = CustomerFactory.create(name="Ewa")
    IdentityFactory.create(customer=known, kind="phone", value="+48221234567")

    rang = timezone.now() - timedelta(seconds=5)
    handle_telephony_event(
        event="ringing", call_id="c1", number="+48 22 123 45 67", agent=agent_ann, at=rang
    )
    popped = ringing_for(agent_ann)
    for event, seconds in [("answered", 10), ("ended", 370), ("ended", 420)]:
        handle_telephony_event(
            event=event, call_id="c1", number="+48221234567", at=rang + timedelta(seconds=seconds)
        )

    assert popped is not None
    assert popped.customer == known
    call = PhoneCall.objects.get(call_id="c1")
    assert call.state == PhoneCall.State.ENDED
    assert Interaction.objects.count() == 1
    interaction = Interaction.objects.get()
    assert (interaction.handle_seconds, interaction.author, interaction.case.customer) == (
        360,
        agent_ann,
        known,
    )
    assert ringing_for(agent_ann) is None


def test_a_missed_call_asks_for_a_callback(team_a: Team, agent_ann: User) -> None:
    handle_telephony_event(
        event="ringing", call_id="m1", number="600200300", agent=agent_ann, at=at(12)
    )
    handle_telephony_event(event="ended", call_id="m1", number="600200300", at=at(12, 0, 30))

    callback = CallbackRequest.objects.get()
    assert (callback.number, callback.due_at, callback.team) == (
        "+48600200300",
        at(14, 0, 30),
        team_a,
    )
    assert Interaction.objects.get().meta["outcome"] == "no_answer"


def test_logging_a_call_in_the_browser_form(team_a: Team, agent_ann: User) -> None:
    response = signed_in(agent_ann).post(
        reverse("phone:log"),
        {
            "number": "+48 600 700 800", "name": "Zofia", "direction": "inbound",
            "team": team_a.pk, "subject": "Reklamacja butów", "kind": "complaint",
            "outcome": "callback", "notes": "Oddzwonić po sprawdzeniu",
            "started_at": (timezone.now() - timedelta(minutes=3)).isoformat(),
            "handle_time": "", "callback_due": "2030-01-02T10:00", "callback_reason": "Wynik",
        },
    )  # fmt: skip

    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.kind, case.customer.name) == ("complaint", "Zofia")
    assert 170 <= (case.interactions.get().handle_seconds or 0) <= 190
    assert CallbackRequest.objects.get().reason == "Wynik"


def test_an_agent_cannot_log_onto_or_call_back_for_another_team(
    team_a: Team, agent_ann: User, agent_otto: User
) -> None:
    theirs = CaseFactory.create(team=team_a)
    callback = request_callback(
        theirs.customer, number="600100200", due_at=at(15), reason="x", team=team_a, by=agent_ann
    )
    client = signed_in(agent_otto)

    done = client.post(reverse("phone:callback_done", args=[callback.pk]),
                       {"outcome": "resolved", "handle_time": "2:30"})  # fmt: skip
    logged = client.post(
        reverse("phone:log"),
        {"number": "600100200", "direction": "inbound", "team": agent_otto.teams.get().pk,
         "case": theirs.number, "kind": "question", "outcome": "answered",
         "started_at": timezone.now().isoformat()},
    )  # fmt: skip

    assert done.status_code == 404
    assert logged.status_code == 200
    callback.refresh_from_db()
    assert callback.done_at is None
    assert not Interaction.objects.exists()
    assert Case.objects.count() == 1


def timeline_text(client: Client, case: Case) -> str:
    html = client.get(case.get_absolute_url()).content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("language", "written"), [("en", "24/11/2026 10:00"), ("pl", "24.11.2026 10:00")]
)
def test_the_outcome_and_call_back_time_show_on_the_timeline_as_the_agent_writes_dates(
    team_a: Team, agent_ann: User, language: str, written: str
) -> None:
    agent_ann.language = language
    agent_ann.save(update_fields=["language"])

    interaction = log_call(
        number="600 100 200", direction="inbound", team=team_a, by=agent_ann,
        started_at=at(9), ended_at=at(9, 3), outcome=Outcome.CALLBACK,
        callback_due=at(10).replace(day=24), callback_reason="Wynik z magazynu",
    )  # fmt: skip
    text = timeline_text(signed_in(agent_ann), interaction.case)

    callback = CallbackRequest.objects.get()
    assert (callback.due_at, callback.reason, callback.case) == (
        at(10).replace(day=24),
        "Wynik z magazynu",
        interaction.case,
    )
    assert written in text
    if language == "en":
        assert "Ann logged the call: Call-back needed. Call back by 24/11/2026 10:00." in text


def test_a_call_without_a_call_back_shows_only_its_outcome(team_a: Team, agent_ann: User) -> None:
    interaction = log_call(
        number="600 100 200", direction="outbound", team=team_a, by=agent_ann,
        started_at=at(9), ended_at=at(9, 3), outcome=Outcome.VOICEMAIL,
    )  # fmt: skip

    text = timeline_text(signed_in(agent_ann), interaction.case)

    assert "Ann logged the call: Left a voicemail." in text
    assert "Call back by" not in text
    assert not CallbackRequest.objects.exists()


def test_a_missed_call_shows_no_answer_and_when_to_call_back(team_a: Team, agent_ann: User) -> None:
    handle_telephony_event(event="ringing", call_id="m2", number="600200300", at=at(12))
    handle_telephony_event(
        event="ended", call_id="m2", number="600200300", at=at(12, 0, 30), team=team_a
    )

    case = Case.objects.get()
    text = timeline_text(signed_in(agent_ann), case)

    assert "The system logged the call: No answer. Call back by 23/11/2026 14:00." in text


def test_a_handle_time_typed_as_minutes_and_seconds_is_kept_and_shown_so(
    team_a: Team, agent_ann: User
) -> None:
    client = signed_in(agent_ann)
    fields = {
        "number": "+48 600 700 801", "name": "Olga", "direction": "inbound", "team": team_a.pk,
        "subject": "Zwrot", "kind": "question", "outcome": "answered",
        "started_at": timezone.now().isoformat(),
    }  # fmt: skip

    wrong = client.post(reverse("phone:log"), {**fields, "handle_time": "4:75"})
    client.post(reverse("phone:log"), {**fields, "handle_time": "4:30"})

    assert "Enter minutes, or minutes and seconds such as 4:30." in wrong.content.decode()
    case = Case.objects.get()
    assert case.interactions.get().handle_seconds == 270
    assert "handled in 4 min 30 s" in client.get(case.get_absolute_url()).content.decode()
