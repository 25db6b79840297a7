from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Event
from opiekun.cases.tests.factories import CaseFactory
from opiekun.complaints.models import Complaint, ComplaintRegime, Proposal
from opiekun.complaints.selectors import deadline_board, listening_metrics, visible_complaints
from opiekun.complaints.services import (
    ComplaintError,
    answer_deadline,
    answer_proposal,
    confirm_understanding,
    correct_understanding,
    decide_complaint,
    extend_deadline,
    propose_solution,
    record_understanding,
    register_complaint,
)
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

WARSAW = ZoneInfo("Europe/Warsaw")
TALLINN = ZoneInfo("Europe/Tallinn")
pytestmark = pytest.mark.django_db


def regime(code: str) -> ComplaintRegime:
    return ComplaintRegime.objects.get(code=code)


@pytest.mark.parametrize(
    ("code", "received", "saturday_is_day_off", "expected"),
    [
        ("pl-consumer", datetime(2025, 3, 3, 10, tzinfo=WARSAW), True, date(2025, 3, 17)),
        ("pl-consumer", datetime(2025, 12, 11, 10, tzinfo=WARSAW), True, date(2025, 12, 29)),
        ("pl-consumer", datetime(2025, 12, 11, 10, tzinfo=WARSAW), False, date(2025, 12, 27)),
        # Received 23:30 in Warsaw on 03-03 is 03-03 there, though 22:30 UTC.
        ("pl-consumer", datetime(2025, 3, 3, 23, 30, tzinfo=WARSAW), True, date(2025, 3, 17)),
        # 2026-06-08 + 15 = Võidupüha (06-23), then jaanipäev (06-24).
        ("ee-consumer", datetime(2026, 6, 8, 9, tzinfo=TALLINN), True, date(2026, 6, 25)),
        # 30 days from 2026-10-12 is All Saints' Day, a Sunday in 2026: Monday 11-02.
        ("pl-financial", datetime(2026, 10, 2, 9, tzinfo=WARSAW), True, date(2026, 11, 2)),
    ],
)
def test_statutory_answer_deadlines(
    code: str, received: datetime, saturday_is_day_off: bool, expected: date
) -> None:
    rules = regime(code)
    rules.saturday_is_day_off = saturday_is_day_off

    assert answer_deadline(rules, received) == expected


def test_a_new_holiday_in_data_moves_the_deadline_without_code(team_a: Team) -> None:
    rules = regime("pl-consumer")
    rules.calendar.closed_days.create(
        date=date(2025, 3, 17), name="Nowe święto", kind="public_holiday"
    )

    assert answer_deadline(rules, datetime(2025, 3, 3, 10, tzinfo=WARSAW)) == date(2025, 3, 18)


def test_an_office_closure_does_not_move_a_statutory_deadline(team_a: Team) -> None:
    rules = regime("pl-consumer")
    rules.calendar.closed_days.create(date=date(2025, 3, 17), name="Remont", kind="closure")

    assert answer_deadline(rules, datetime(2025, 3, 3, 10, tzinfo=WARSAW)) == date(2025, 3, 17)


def complaint_for(team: Team, by: User) -> Complaint:
    case = CaseFactory.create(team=team, kind=Case.Kind.QUESTION)
    return register_complaint(
        case,
        regime=regime("pl-consumer"),
        received_at=datetime(2025, 3, 3, 10, tzinfo=WARSAW),
        received_channel=Channel.EMAIL,
        subject_matter="Pralka WX-200",
        description="Pralka przecieka od pierwszego prania.",
        demand=Complaint.Demand.REPLACEMENT,
        order_reference="ZAM/2025/0042",
        by=by,
    )


def test_registering_makes_the_case_a_complaint_with_its_deadline(
    team_a: Team, agent_ann: User
) -> None:
    complaint = complaint_for(team_a, agent_ann)

    assert (complaint.case.kind, complaint.answer_due, complaint.state) == (
        Case.Kind.COMPLAINT,
        date(2025, 3, 17),
        Complaint.State.RECEIVED,
    )
    event = Event.objects.get(case=complaint.case, kind="complaint")
    assert event.payload == {"what": "registered", "answer_due": "2025-03-17"}


def test_a_price_reduction_needs_its_amount(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)

    with pytest.raises(ComplaintError, match="amount"):
        register_complaint(
            case,
            regime=regime("pl-consumer"),
            received_at=datetime(2025, 3, 3, 10, tzinfo=WARSAW),
            received_channel=Channel.PHONE,
            subject_matter="Sofa",
            description="Rozdarta tapicerka",
            demand=Complaint.Demand.PRICE_REDUCTION,
            by=agent_ann,
        )
    assert not Complaint.objects.exists()


def test_listen_check_propose_with_confirmation_by_phone(team_a: Team, agent_ann: User) -> None:
    complaint = complaint_for(team_a, agent_ann)

    record_understanding(
        complaint,
        text="Pralka przecieka od pierwszego prania. Klientka oczekuje wymiany na nową.",
        by=agent_ann,
    )
    confirm_understanding(complaint, via=Complaint.ConfirmedVia.PHONE, by=agent_ann)
    proposal = propose_solution(complaint, text="Wymienimy pralkę w ciągu 5 dni.", by=agent_ann)
    answer_proposal(proposal, accepted=True)

    complaint.refresh_from_db()
    assert complaint.state == Complaint.State.PROPOSED
    assert (complaint.understanding_confirmed_via, complaint.understanding_confirmed_by) == (
        "phone",
        agent_ann,
    )
    assert (proposal.understanding_was_confirmed, proposal.outcome) == (True, "accepted")


def test_confirmation_in_person_must_name_who_heard_it(team_a: Team, agent_ann: User) -> None:
    complaint = complaint_for(team_a, agent_ann)
    record_understanding(complaint, text="Przecieka. Chce wymiany.", by=agent_ann)

    with pytest.raises(ComplaintError):
        confirm_understanding(complaint, via=Complaint.ConfirmedVia.IN_PERSON)

    complaint.refresh_from_db()
    assert complaint.understanding_confirmed_at is None


def test_a_correction_reopens_the_check_and_a_new_paraphrase_needs_new_confirmation(
    team_a: Team, agent_ann: User
) -> None:
    complaint = complaint_for(team_a, agent_ann)
    record_understanding(complaint, text="Przecieka. Chce zwrotu pieniędzy.", by=agent_ann)
    confirm_understanding(complaint, via=Complaint.ConfirmedVia.PORTAL)

    correct_understanding(complaint, correction="Chcę wymiany, nie zwrotu.", via="email")

    assert (complaint.state, complaint.understanding_confirmed_at) == ("checking", None)
    assert complaint.customer_correction == "Chcę wymiany, nie zwrotu."


def test_a_rejection_needs_reasons(team_a: Team, agent_ann: User) -> None:
    complaint = complaint_for(team_a, agent_ann)

    with pytest.raises(ComplaintError, match="reasons"):
        decide_complaint(complaint, decision=Complaint.Decision.REJECTED, reasons=" ", by=agent_ann)
    decide_complaint(
        complaint,
        decision=Complaint.Decision.REJECTED,
        reasons="Uszkodzenie mechaniczne powstałe po wydaniu towaru.",
        by=agent_ann,
    )

    complaint.refresh_from_db()
    assert (complaint.state, complaint.decision) == ("decided", "rejected")


def test_extension_only_where_the_regime_allows_it_with_reason_later_date_and_authority(
    team_a: Team, agent_ann: User, lead_lee: User
) -> None:
    polish = complaint_for(team_a, agent_ann)
    estonian = complaint_for(team_a, agent_ann)
    estonian.regime = regime("ee-consumer")

    with pytest.raises(ComplaintError):
        extend_deadline(polish, new_due=date(2025, 3, 24), reason="Ekspertyza", by=lead_lee)
    with pytest.raises(ComplaintError):
        extend_deadline(estonian, new_due=date(2025, 3, 10), reason="Ekspertiis", by=lead_lee)
    with pytest.raises(ComplaintError, match="authority"):  # agents may extend by 0 days
        extend_deadline(estonian, new_due=date(2025, 3, 24), reason="Ekspertiis", by=agent_ann)
    with pytest.raises(ComplaintError, match="authority"):  # leads by up to 14
        extend_deadline(estonian, new_due=date(2025, 4, 1), reason="Ekspertiis", by=lead_lee)
    extend_deadline(estonian, new_due=date(2025, 3, 31), reason="Ekspertiis", by=lead_lee)

    assert (estonian.due, estonian.extension_reason) == (date(2025, 3, 31), "Ekspertiis")
    polish.refresh_from_db()
    assert polish.extended_due is None


def test_listening_metrics_count_first_proposals_only(team_a: Team, agent_ann: User) -> None:
    listened = complaint_for(team_a, agent_ann)
    record_understanding(listened, text="Przecieka. Chce wymiany.", by=agent_ann)
    confirm_understanding(listened, via=Complaint.ConfirmedVia.EMAIL)
    answer_proposal(propose_solution(listened, text="Wymiana", by=agent_ann), accepted=True)
    rushed = complaint_for(team_a, agent_ann)
    answer_proposal(propose_solution(rushed, text="Bon 50 zł", by=agent_ann), accepted=False)
    propose_solution(rushed, text="Wymiana", by=agent_ann)

    metrics = listening_metrics(Complaint.objects.all())

    assert (metrics.complaints_with_proposal, metrics.confirmed_before_proposal) == (2, 1)
    assert (metrics.confirmed_share, metrics.first_acceptance_rate) == (0.5, 0.5)
    assert Proposal.objects.count() == 3


def test_deadline_board_warns_from_day_ten_and_only_shows_visible_complaints(
    team_a: Team, team_b: Team, agent_ann: User, agent_otto: User
) -> None:
    ours = complaint_for(team_a, agent_ann)
    theirs = complaint_for(team_b, agent_otto)

    day_9 = deadline_board(agent_ann, today=date(2025, 3, 12))
    day_10 = deadline_board(agent_ann, today=date(2025, 3, 13))
    late = deadline_board(agent_ann, today=date(2025, 3, 18))

    assert [(r.complaint, r.days_left, r.urgency) for r in day_9] == [(ours, 5, "ok")]
    assert [(r.days_left, r.urgency) for r in day_10] == [(4, "warning")]
    assert [(r.days_left, r.urgency) for r in late] == [(-1, "overdue")]
    assert list(visible_complaints(agent_otto)) == [theirs]


def estonian_complaint(team: Team, by: User, *, channel: str, with_email: bool = True) -> Complaint:
    customer = CustomerFactory.create(name="Mari Maasikas", language="et")
    if with_email:
        IdentityFactory.create(customer=customer, value="mari@example.ee")
    return register_complaint(
        CaseFactory.create(team=team, customer=customer),
        regime=regime("ee-consumer"),
        received_at=datetime(2026, 6, 8, 9, tzinfo=TALLINN),
        received_channel=channel,
        subject_matter="Jalgratas",
        description="Käik ei vahetu.",
        demand=Complaint.Demand.REPAIR,
        by=by,
    )


def test_an_estonian_written_complaint_is_acknowledged_in_writing(
    team_a: Team, agent_ann: User
) -> None:
    complaint = estonian_complaint(team_a, agent_ann, channel=Channel.EMAIL)

    acknowledgement = complaint.case.interactions.get(direction="outbound")
    assert acknowledgement.meta == {"auto": "complaint_acknowledgement"}
    assert "hiljemalt 25.06.2026." in acknowledgement.body_text
    assert complaint.acknowledged_at is not None
    assert complaint.case.status == Case.Status.NEW


def test_a_complaint_taken_by_phone_is_acknowledged_there_and_then(
    team_a: Team, agent_ann: User
) -> None:
    complaint = estonian_complaint(team_a, agent_ann, channel=Channel.PHONE)

    assert complaint.acknowledged_at is not None
    assert not complaint.case.interactions.exists()


def test_without_an_address_a_written_complaint_stays_unacknowledged(
    team_a: Team, agent_ann: User
) -> None:
    complaint = estonian_complaint(team_a, agent_ann, channel=Channel.WEB, with_email=False)

    assert complaint.acknowledged_at is None
    assert not complaint.case.interactions.exists()


def test_polish_complaints_need_no_acknowledgement(team_a: Team, agent_ann: User) -> None:
    complaint = complaint_for(team_a, agent_ann)

    assert complaint.acknowledged_at is None
    assert not complaint.case.interactions.exists()
