"""Who may open each accounts page: anonymous, agent, lead, manager, admin."""

import pytest
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import Team, User

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "agent", "lead", "manager", "admin"]
LOGIN = "login"


@pytest.fixture
def client_as(
    request: pytest.FixtureRequest,
    agent_ann: User,
    lead_lee: User,
    manager_maja: User,
    admin_adam: User,
) -> Client:
    client = Client()
    personas = {"agent": agent_ann, "lead": lead_lee, "manager": manager_maja, "admin": admin_adam}
    if request.param != "anonymous":
        client.force_login(personas[request.param])
    return client


def outcome(response: object) -> int | str:
    status = getattr(response, "status_code", 0)
    if status == 302 and str(response["Location"]).startswith(reverse("accounts:login")):  # type: ignore[index]
        return LOGIN
    return int(status)


def expected(
    role: str, *, anonymous: int | str, staff: int, managers: int | None = None
) -> int | str:
    if role == "anonymous":
        return anonymous
    if role in {"manager", "admin"} and managers is not None:
        return managers
    return staff


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_login_page(client_as: Client, request: pytest.FixtureRequest) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.get(reverse("accounts:login"))

    assert outcome(response) == expected(role, anonymous=200, staff=302)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_code_step(client_as: Client, request: pytest.FixtureRequest) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.get(reverse("accounts:verify"))

    # Nobody here owes a code: anonymous users go to sign in, staff go on.
    assert outcome(response) == expected(role, anonymous=LOGIN, staff=302)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_logout(client_as: Client, request: pytest.FixtureRequest) -> None:
    response = client_as.post(reverse("accounts:logout"))

    assert outcome(response) == LOGIN


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_language_switch(client_as: Client, request: pytest.FixtureRequest) -> None:
    response = client_as.post(reverse("accounts:set_language"), {"language": "pl"})

    assert outcome(response) == LOGIN
    assert client_as.session["language"] == "pl"


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_profile(client_as: Client, request: pytest.FixtureRequest) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.get(reverse("accounts:profile"))

    assert outcome(response) == expected(role, anonymous=LOGIN, staff=200)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_password_change(client_as: Client, request: pytest.FixtureRequest) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.post(reverse("accounts:password_change"), {})

    assert outcome(response) == expected(role, anonymous=LOGIN, staff=400)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_two_factor_start(client_as: Client, request: pytest.FixtureRequest) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.post(reverse("accounts:two_factor_start"))

    assert outcome(response) == expected(role, anonymous=LOGIN, staff=302)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_two_factor_confirm(client_as: Client, request: pytest.FixtureRequest) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.post(reverse("accounts:two_factor_confirm"), {"token": "123456"})

    # Without an enrolment under way, staff are sent back to the profile.
    assert outcome(response) == expected(role, anonymous=LOGIN, staff=302)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_two_factor_disable(client_as: Client, request: pytest.FixtureRequest) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.post(reverse("accounts:two_factor_disable"), {"token": "123456"})

    assert outcome(response) == expected(role, anonymous=LOGIN, staff=400)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_teams(client_as: Client, request: pytest.FixtureRequest) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.get(reverse("accounts:teams"))

    assert outcome(response) == expected(role, anonymous=LOGIN, staff=403, managers=200)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_team_new(client_as: Client, request: pytest.FixtureRequest) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.get(reverse("accounts:team_new"))

    assert outcome(response) == expected(role, anonymous=LOGIN, staff=403, managers=200)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_team_edit(client_as: Client, request: pytest.FixtureRequest, team_a: Team) -> None:
    role = request.node.callspec.params["client_as"]

    response = client_as.get(reverse("accounts:team_edit", args=[team_a.pk]))

    assert outcome(response) == expected(role, anonymous=LOGIN, staff=403, managers=200)


@pytest.mark.parametrize("client_as", ROLES, indirect=True)
def test_team_edit_post(client_as: Client, request: pytest.FixtureRequest, team_a: Team) -> None:
    role = request.node.callspec.params["client_as"]

    data = {"name": "Taken over", "routing": "manual"}
    data.update({f"member-{member.pk}-capacity": "5" for member in team_a.members.all()})

    response = client_as.post(reverse("accounts:team_edit", args=[team_a.pk]), data)

    team_a.refresh_from_db()
    assert outcome(response) == expected(role, anonymous=LOGIN, staff=403, managers=302)
    assert team_a.name == ("Taken over" if role in {"manager", "admin"} else "Team A")
