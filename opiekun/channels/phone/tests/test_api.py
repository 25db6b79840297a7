import pytest
from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.api.services import issue_token
from opiekun.cases.models import Interaction
from opiekun.channels.phone.models import PhoneCall
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

pytestmark = pytest.mark.django_db


def api(user: User) -> Client:
    _token, raw = issue_token(user, name="phone system")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_a_call_reported_by_the_phone_system_pops_up_and_is_logged_when_it_ends(
    team_a: Team, agent_ann: User, manager_maja: User
) -> None:
    known = CustomerFactory.create(name="Liis Kask")
    IdentityFactory.create(customer=known, kind="phone", value="+37255512345")
    client = api(manager_maja)

    def send(event: str, at: str) -> dict[str, object]:
        response = client.post(
            "/api/v1/telephony/events",
            {
                "event": event,
                "call_id": "pbx-77",
                "caller": "+372 555 12345",
                "agent": "ann",
                "at": at,
            },
            content_type="application/json",
        )
        assert response.status_code == 200
        return dict(response.json())

    ringing = send("ringing", "2026-11-23T10:00:00+02:00")
    send("answered", "2026-11-23T10:00:08+02:00")
    ended = send("ended", "2026-11-23T10:04:08+02:00")

    assert ringing == {
        "call_id": "pbx-77",
        "state": "ringing",
        "customer": {"id": known.pk, "name": "Liis Kask"},
        "case": None,
    }
    interaction = Interaction.objects.get()
    assert ended["case"] == interaction.case.number
    assert (interaction.handle_seconds, interaction.author) == (240, agent_ann)


@pytest.mark.parametrize(
    ("persona", "status"), [("agent_ann", 403), ("manager_maja", 200), ("admin_adam", 200)]
)
def test_only_managers_and_admins_tokens_report_calls(
    request: pytest.FixtureRequest, team_a: Team, persona: str, status: int
) -> None:
    response = api(request.getfixturevalue(persona)).post(
        "/api/v1/telephony/events",
        {"event": "ringing", "call_id": "x", "caller": "600100200"},
        content_type="application/json",
    )

    assert response.status_code == status
    assert PhoneCall.objects.exists() is (status == 200)


def test_a_bad_number_is_a_clear_error(manager_maja: User) -> None:
    response = api(manager_maja).post(
        "/api/v1/telephony/events",
        {"event": "ringing", "call_id": "x", "caller": "not a number"},
        content_type="application/json",
    )

    assert (response.status_code, response.json()["code"]) == (422, "invalid")
    assert "is not a phone number" in response.json()["detail"]
