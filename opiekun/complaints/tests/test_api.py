import pytest
from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.api.services import issue_token
from opiekun.cases.models import Case
from opiekun.cases.tests.factories import CaseFactory
from opiekun.complaints.models import Complaint
from opiekun.complaints.services import record_understanding

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    _token, raw = issue_token(user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}"})


PAYLOAD = {
    "regime": "pl-consumer",
    "received_at": "2025-12-11T15:30:00+01:00",
    "received_channel": "email",
    "subject_matter": "Odkurzacz V8",
    "description": "Nie ładuje się bateria.",
    "demand": "replacement",
}


def test_creating_a_complaint_returns_its_statutory_answer_due(
    team_a: Team, agent_ann: User
) -> None:
    case = CaseFactory.create(team=team_a)

    response = api(agent_ann).post(
        "/api/v1/complaints", {**PAYLOAD, "case": case.number}, content_type="application/json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["answer_due"], body["state"], body["regime"]) == (
        "2025-12-29",
        "received",
        "pl-consumer",
    )
    assert body["decision"] is None
    case.refresh_from_db()
    assert case.kind == Case.Kind.COMPLAINT


def test_reading_shows_state_understanding_and_decision(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)
    client = api(agent_ann)
    client.post(
        "/api/v1/complaints", {**PAYLOAD, "case": case.number}, content_type="application/json"
    )
    record_understanding(
        Complaint.objects.get(), text="Bateria nie ładuje; chce wymiany.", by=agent_ann
    )

    body = client.get(f"/api/v1/complaints/{case.number}").json()

    assert body["understanding"]["text"] == "Bateria nie ładuje; chce wymiany."
    assert (body["understanding"]["confirmed_at"], body["state"]) == (None, "checking")


@pytest.mark.parametrize(
    ("persona", "status"),
    [("agent_ann", 201), ("lead_lee", 201), ("manager_maja", 201), ("agent_otto", 404)],
)
def test_who_may_register_a_complaint_on_a_team_a_case(
    request: pytest.FixtureRequest, team_a: Team, persona: str, status: int
) -> None:
    case = CaseFactory.create(team=team_a)

    response = api(request.getfixturevalue(persona)).post(
        "/api/v1/complaints", {**PAYLOAD, "case": case.number}, content_type="application/json"
    )

    assert response.status_code == status
    assert Complaint.objects.filter(case=case).exists() is (status == 201)


def test_errors_have_the_api_shape(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)
    client = api(agent_ann)

    unknown = client.post(
        "/api/v1/complaints", {**PAYLOAD, "case": case.number, "regime": "xx"},
        content_type="application/json",
    )  # fmt: skip
    anonymous = Client().get(f"/api/v1/complaints/{case.number}")
    not_a_complaint = client.get(f"/api/v1/complaints/{case.number}")

    assert (unknown.status_code, unknown.json()["code"]) == (422, "invalid")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    assert (not_a_complaint.status_code, not_a_complaint.json()["code"]) == (404, "not_found")
