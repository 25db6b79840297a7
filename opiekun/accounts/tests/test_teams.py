import pytest
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import Team, User
from opiekun.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def team_data(team: Team, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": team.name,
        "email": team.email,
        "signature": team.signature,
        "routing": team.routing,
        "members": [member.pk for member in team.members.all()],
    }
    if team.route_by_skill:
        data["route_by_skill"] = "on"
    for member in team.members.all():
        data[f"member-{member.pk}-capacity"] = member.capacity
    data.update(changes)
    return data


def test_managers_see_every_team_with_its_members(
    manager_maja: User, agent_ann: User, lead_lee: User, agent_otto: User
) -> None:
    client = Client()
    client.force_login(manager_maja)

    response = client.get(reverse("accounts:teams"))

    teams = response.context["teams"]
    assert response.status_code == 200
    assert [(t.name, [m.username for m in t.members.all()]) for t in teams] == [
        ("Team A", ["ann", "lee"]),
        ("Team B", ["otto"]),
    ]


def test_a_manager_changes_the_teams_settings_members_and_skills(
    manager_maja: User, team_a: Team, agent_ann: User, lead_lee: User, agent_otto: User
) -> None:
    client = Client()
    client.force_login(manager_maja)
    data = team_data(
        team_a,
        name="Zespół A",
        email="a@opiekun.test",
        signature="Pozdrawiamy, zespół A",
        routing=Team.Routing.LOAD,
        route_by_skill="on",
        members=[agent_ann.pk, agent_otto.pk],
        **{
            f"member-{agent_ann.pk}-capacity": 12,
            f"member-{agent_ann.pk}-languages": ["pl", "et"],
            f"member-{agent_ann.pk}-kinds": ["complaint"],
            f"member-{agent_ann.pk}-channels": ["email", "phone"],
            f"member-{lead_lee.pk}-capacity": 0,
        },
    )

    response = client.post(reverse("accounts:team_edit", args=[team_a.pk]), data)

    team_a.refresh_from_db()
    agent_ann.refresh_from_db()
    lead_lee.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:team_edit", args=[team_a.pk])
    assert (team_a.name, team_a.email, team_a.signature) == (
        "Zespół A",
        "a@opiekun.test",
        "Pozdrawiamy, zespół A",
    )
    assert (team_a.routing, team_a.route_by_skill) == ("load", True)
    assert sorted(team_a.members.values_list("username", flat=True)) == ["ann", "otto"]
    assert agent_ann.capacity == 12
    assert (agent_ann.skill_languages, agent_ann.skill_kinds, agent_ann.skill_channels) == (
        ["pl", "et"],
        ["complaint"],
        ["email", "phone"],
    )
    assert lead_lee.capacity == 0


def test_an_invalid_skill_changes_nothing(admin_adam: User, team_a: Team, agent_ann: User) -> None:
    client = Client()
    client.force_login(admin_adam)
    data = team_data(team_a, name="Renamed", **{f"member-{agent_ann.pk}-kinds": ["teleport"]})

    response = client.post(reverse("accounts:team_edit", args=[team_a.pk]), data)

    team_a.refresh_from_db()
    agent_ann.refresh_from_db()
    assert response.status_code == 400
    assert team_a.name == "Team A"
    assert agent_ann.skill_kinds == []


def test_a_team_name_must_be_unique(manager_maja: User, team_a: Team, team_b: Team) -> None:
    client = Client()
    client.force_login(manager_maja)

    response = client.post(
        reverse("accounts:team_edit", args=[team_b.pk]), team_data(team_b, name="Team A")
    )

    team_b.refresh_from_db()
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["name"]
    assert team_b.name == "Team B"


def test_a_manager_creates_a_team(manager_maja: User, agent_ann: User) -> None:
    client = Client()
    client.force_login(manager_maja)

    response = client.post(
        reverse("accounts:team_new"),
        {
            "name": "Reklamacje",
            "email": "",
            "signature": "",
            "routing": "round_robin",
            "members": [agent_ann.pk],
        },
    )

    team = Team.objects.get(name="Reklamacje")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:team_edit", args=[team.pk])
    assert (team.routing, list(team.members.all())) == ("round_robin", [agent_ann])


def test_removing_the_round_robin_position_holder_clears_the_position(
    manager_maja: User, team_a: Team, agent_ann: User, lead_lee: User
) -> None:
    team_a.last_assigned = agent_ann
    team_a.save()
    client = Client()
    client.force_login(manager_maja)

    client.post(
        reverse("accounts:team_edit", args=[team_a.pk]), team_data(team_a, members=[lead_lee.pk])
    )

    team_a.refresh_from_db()
    assert team_a.last_assigned is None


def test_inactive_staff_cannot_be_made_members(manager_maja: User, team_a: Team) -> None:
    gone = UserFactory.create(username="gone", is_active=False)
    client = Client()
    client.force_login(manager_maja)

    response = client.post(
        reverse("accounts:team_edit", args=[team_a.pk]), team_data(team_a, members=[gone.pk])
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["members"]
    assert list(team_a.members.all()) == []


def test_a_missing_team_is_404(manager_maja: User) -> None:
    client = Client()
    client.force_login(manager_maja)

    response = client.get(reverse("accounts:team_edit", args=[999]))

    assert response.status_code == 404
