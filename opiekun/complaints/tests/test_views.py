import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel
from opiekun.cases.tests.factories import CaseFactory
from opiekun.complaints.models import Complaint, ComplaintRegime
from opiekun.complaints.services import register_complaint

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def complaint_on(case: Case, by: User) -> Complaint:
    return register_complaint(
        case,
        regime=ComplaintRegime.objects.get(code="pl-consumer"),
        received_at=datetime(2025, 3, 3, 10, tzinfo=WARSAW),
        received_channel=Channel.EMAIL,
        subject_matter="Pralka WX-200",
        description="Przecieka.",
        demand=Complaint.Demand.REPLACEMENT,
        by=by,
    )


def test_registering_from_the_case_page_form(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)

    response = signed_in(agent_ann).post(
        reverse("complaints:open", args=[case.number]),
        {
            "regime": ComplaintRegime.objects.get(code="pl-consumer").pk,
            "received_at": "2025-03-03T10:00",
            "received_channel": "phone",
            "customer_type": "consumer",
            "subject_matter": "Lodówka",
            "description": "Nie chłodzi",
            "demand": "repair",
        },
    )

    assert response.status_code == 302
    complaint = Complaint.objects.get(case=case)
    assert (complaint.answer_due.isoformat(), complaint.received_channel) == ("2025-03-17", "phone")


def test_a_form_error_is_shown_and_nothing_is_created(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)

    response = signed_in(agent_ann).post(
        reverse("complaints:open", args=[case.number]),
        {"regime": "", "subject_matter": "Lodówka"},
        follow=False,
    )

    assert response.status_code == 302
    assert not Complaint.objects.exists()


def test_an_agent_of_another_team_cannot_act_on_the_complaint(
    team_a: Team, agent_ann: User, agent_otto: User
) -> None:
    complaint = complaint_on(CaseFactory.create(team=team_a), agent_ann)

    response = signed_in(agent_otto).post(
        reverse("complaints:understanding", args=[complaint.case.number]),
        {"text": "Próba z zewnątrz"},
    )

    assert response.status_code == 404
    complaint.refresh_from_db()
    assert (complaint.understanding, complaint.state) == ("", Complaint.State.RECEIVED)


@pytest.mark.parametrize(
    ("persona", "sees_it"),
    [("agent_ann", True), ("lead_lee", True), ("agent_otto", False), ("manager_maja", True)],
)
def test_register_lists_only_visible_complaints(
    request: pytest.FixtureRequest, team_a: Team, agent_ann: User, persona: str, sees_it: bool
) -> None:
    complaint = complaint_on(CaseFactory.create(team=team_a), agent_ann)
    user = request.getfixturevalue(persona)

    response = signed_in(user).get(reverse("complaints:register"))

    assert response.status_code == 200
    assert (complaint.case.number in response.content.decode()) is sees_it


def test_anonymous_visitors_are_sent_to_login() -> None:
    response = Client().get(reverse("complaints:board"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_register_exports_csv_and_xlsx_for_an_audit(team_a: Team, agent_ann: User) -> None:
    complaint = complaint_on(CaseFactory.create(team=team_a), agent_ann)
    client = signed_in(agent_ann)

    as_csv = client.get(reverse("complaints:register"), {"export": "csv"})
    as_xlsx = client.get(reverse("complaints:register"), {"export": "xlsx"})

    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["case", "customer", "legal regime"]
    assert rows[1][0] == complaint.case.number
    assert rows[1][6] == "2025-03-17"
    assert as_csv["Content-Disposition"].startswith('attachment; filename="complaints-')
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[2]][:1] == [complaint.case.number]


def test_board_shows_days_left(team_a: Team, agent_ann: User) -> None:
    complaint_on(CaseFactory.create(team=team_a), agent_ann)

    response = signed_in(agent_ann).get(reverse("complaints:board"))

    assert response.status_code == 200
    assert "overdue" in response.content.decode()
