import pytest
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Macro, MacroTranslation

ROLES = ["anonymous", "agent_ann", "lead_lee", "manager_maja", "admin_adam"]
MANAGERS = {"lead_lee", "manager_maja", "admin_adam"}


def client_for(request: pytest.FixtureRequest, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        user = request.getfixturevalue(role)
        assert isinstance(user, User)
        client.force_login(user)
    return client


def macro(name: str, team: Team | None = None, **texts: str) -> Macro:
    created = Macro.objects.create(name=name, team=team)
    for language, body in texts.items():
        MacroTranslation.objects.create(macro=created, language=language, body=body)
    return created


def texts_of(macro: Macro) -> list[tuple[str, str]]:
    return sorted(macro.translations.values_list("language", "body"))


def login_redirect(url: str) -> str:
    return f"{reverse('accounts:login')}?next={url}"


FORM = {
    "name": "Prośba o numer konta",
    "set_status": "pending_customer",
    "text_pl": "Prosimy o numer konta, {{ customer.name }}.",
    "text_et": "Palun saatke kontonumber.",
    "text_en": "",
}


@pytest.mark.parametrize("role", ROLES)
def test_list_matrix(request: pytest.FixtureRequest, role: str, team_a: Team) -> None:
    macro("Powitanie", team_a, pl="Dzień dobry")
    url = reverse("macros:list")

    response = client_for(request, role).get(url)

    if role == "anonymous":
        assert (response.status_code, response["Location"]) == (302, login_redirect(url))
    else:
        assert response.status_code == 200
        assert [row["macro"].name for row in response.context["rows"]] == ["Powitanie"]


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix(request: pytest.FixtureRequest, role: str, team_a: Team) -> None:
    url = reverse("macros:create")
    client = client_for(request, role)

    page = client.get(url)
    response = client.post(url, {**FORM, "team": team_a.pk})

    if role in MANAGERS:
        assert page.status_code == 200
        assert (response.status_code, response["Location"]) == (302, reverse("macros:list"))
        created = Macro.objects.get()
        assert (created.name, created.team, created.set_status, created.created_by) == (
            "Prośba o numer konta",
            team_a,
            "pending_customer",
            request.getfixturevalue(role),
        )
        assert texts_of(created) == [
            ("et", "Palun saatke kontonumber."),
            ("pl", "Prosimy o numer konta, {{ customer.name }}."),
        ]
    elif role == "anonymous":
        assert (page.status_code, page["Location"]) == (302, login_redirect(url))
        assert (response.status_code, response["Location"]) == (302, login_redirect(url))
        assert Macro.objects.count() == 0
    else:
        assert (page.status_code, response.status_code) == (403, 403)
        assert Macro.objects.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_edit_matrix(request: pytest.FixtureRequest, role: str, team_a: Team) -> None:
    existing = macro("Stara nazwa", team_a, pl="Stary tekst", en="Old text")
    url = reverse("macros:edit", args=[existing.pk])
    client = client_for(request, role)

    page = client.get(url)
    response = client.post(url, {**FORM, "team": team_a.pk})

    existing.refresh_from_db()
    if role in MANAGERS:
        assert page.status_code == 200
        assert page.context["form"].initial == {
            "name": "Stara nazwa",
            "team": team_a.pk,
            "set_status": "",
            "text_pl": "Stary tekst",
            "text_en": "Old text",
        }
        assert (response.status_code, response["Location"]) == (302, reverse("macros:list"))
        assert (existing.name, existing.set_status) == ("Prośba o numer konta", "pending_customer")
        assert texts_of(existing) == [
            ("et", "Palun saatke kontonumber."),
            ("pl", "Prosimy o numer konta, {{ customer.name }}."),
        ]
    else:
        if role == "anonymous":
            assert (page.status_code, page["Location"]) == (302, login_redirect(url))
            assert (response.status_code, response["Location"]) == (302, login_redirect(url))
        else:
            assert (page.status_code, response.status_code) == (403, 403)
        assert (existing.name, existing.set_status) == ("Stara nazwa", "")
        assert texts_of(existing) == [("en", "Old text"), ("pl", "Stary tekst")]


@pytest.mark.parametrize("role", ROLES)
def test_delete_matrix(request: pytest.FixtureRequest, role: str, team_a: Team) -> None:
    existing = macro("Do usunięcia", team_a, pl="Tekst")
    url = reverse("macros:delete", args=[existing.pk])
    client = client_for(request, role)

    page = client.get(url)
    response = client.post(url)

    if role in MANAGERS:
        assert page.status_code == 200
        assert (response.status_code, response["Location"]) == (302, reverse("macros:list"))
        assert Macro.objects.count() == 0
        assert MacroTranslation.objects.count() == 0
    else:
        if role == "anonymous":
            assert (page.status_code, page["Location"]) == (302, login_redirect(url))
            assert (response.status_code, response["Location"]) == (302, login_redirect(url))
        else:
            assert (page.status_code, response.status_code) == (403, 403)
        assert list(Macro.objects.all()) == [existing]


@pytest.mark.parametrize("action", ["macros:edit", "macros:delete"])
def test_lead_may_not_change_global_macros(client: Client, lead_lee: User, action: str) -> None:
    shared = macro("Wszyscy", pl="Tekst")
    client.force_login(lead_lee)

    response = client.post(reverse(action, args=[shared.pk]), {**FORM, "team": ""})

    assert response.status_code == 403
    shared.refresh_from_db()
    assert shared.name == "Wszyscy"


@pytest.mark.parametrize("action", ["macros:edit", "macros:delete"])
def test_lead_gets_404_for_another_teams_macro(
    client: Client, lead_lee: User, team_b: Team, action: str
) -> None:
    theirs = macro("Zespół B", team_b, pl="Tekst")
    client.force_login(lead_lee)

    response = client.post(reverse(action, args=[theirs.pk]), {**FORM, "team": team_b.pk})

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, theirs.team) == ("Zespół B", team_b)


def test_lead_may_only_choose_their_own_teams(
    client: Client, lead_lee: User, team_a: Team, team_b: Team
) -> None:
    client.force_login(lead_lee)

    page = client.get(reverse("macros:create"))
    global_attempt = client.post(reverse("macros:create"), {**FORM, "team": ""})
    other_attempt = client.post(reverse("macros:create"), {**FORM, "team": team_b.pk})

    assert [str(label) for _, label in page.context["form"].fields["team"].choices] == ["Team A"]
    assert global_attempt.status_code == 400
    assert global_attempt.context["form"].errors == {"team": ["This field is required."]}
    assert other_attempt.status_code == 400
    assert other_attempt.context["form"].errors == {
        "team": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert Macro.objects.count() == 0


def test_manager_creates_a_global_macro(client: Client, manager_maja: User, team_a: Team) -> None:
    client.force_login(manager_maja)

    page = client.get(reverse("macros:create"))
    response = client.post(reverse("macros:create"), {**FORM, "team": ""})

    assert [str(label) for _, label in page.context["form"].fields["team"].choices] == [
        "All teams",
        "Team A",
    ]
    assert response.status_code == 302
    assert Macro.objects.get().team is None


def test_a_macro_needs_text_in_at_least_one_language(
    client: Client, lead_lee: User, team_a: Team
) -> None:
    client.force_login(lead_lee)

    response = client.post(
        reverse("macros:create"),
        {**FORM, "team": team_a.pk, "text_pl": "  ", "text_et": "", "text_en": ""},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Write the text in at least one language."
    ]
    assert Macro.objects.count() == 0


def test_list_shows_who_may_manage_which_macro(
    client: Client, lead_lee: User, team_a: Team, team_b: Team
) -> None:
    macro("Wszyscy", pl="Tekst", et="Tekst", en="Text")
    macro("Zespół A", team_a, pl="Tekst")
    macro("Zespół B", team_b, pl="Tekst")
    client.force_login(lead_lee)

    response = client.get(reverse("macros:list"))

    assert [
        (row["macro"].name, row["languages"], row["may_manage"]) for row in response.context["rows"]
    ] == [("Wszyscy", ["en", "et", "pl"], False), ("Zespół A", ["pl"], True)]
    assert response.context["may_create"] is True
    content = response.content.decode()
    assert content.count(reverse("macros:create")) == 1
    assert content.count("/edit/") == 1


def test_agents_see_the_list_without_management_links(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    own = macro("Zespół A", team_a, pl="Tekst")
    client.force_login(agent_ann)

    response = client.get(reverse("macros:list"))

    assert response.context["may_create"] is False
    content = response.content.decode()
    assert "Zespół A" in content
    assert reverse("macros:create") not in content
    assert reverse("macros:edit", args=[own.pk]) not in content


def test_htmx_list_returns_only_the_filtered_table(
    client: Client, manager_maja: User, team_a: Team
) -> None:
    macro("Powitanie", pl="Dzień dobry")
    macro("Zwrot pieniędzy", team_a, pl="Zwrot")
    client.force_login(manager_maja)

    response = client.get(reverse("macros:list"), {"q": "zwrot"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert [row["macro"].name for row in response.context["rows"]] == ["Zwrot pieniędzy"]
    content = response.content.decode()
    assert content.startswith('\n<div id="macro-list">')
    assert "<html" not in content


def test_htmx_save_redirects_the_page_and_invalid_form_comes_back_as_a_partial(
    client: Client, lead_lee: User, team_a: Team
) -> None:
    client.force_login(lead_lee)
    headers = {"HX-Request": "true"}

    invalid = client.post(
        reverse("macros:create"), {**FORM, "team": team_a.pk, "name": ""}, headers=headers
    )
    saved = client.post(reverse("macros:create"), {**FORM, "team": team_a.pk}, headers=headers)

    assert invalid.status_code == 200
    assert invalid.context["form"].errors == {"name": ["This field is required."]}
    assert invalid.content.decode().startswith('\n<form id="macro-form"')
    assert (saved.status_code, saved["HX-Redirect"]) == (200, reverse("macros:list"))
    assert Macro.objects.get().name == "Prośba o numer konta"


def test_edit_can_remove_a_language_and_move_the_macro_to_another_of_the_leads_teams(
    client: Client, lead_lee: User, team_a: Team
) -> None:
    second = Team.objects.create(name="Team C")
    second.members.add(lead_lee)
    existing = macro("Zwrot", team_a, pl="Tekst", et="Tekst", en="Text")
    client.force_login(lead_lee)

    response = client.post(
        reverse("macros:edit", args=[existing.pk]),
        {
            "name": "Zwrot",
            "team": second.pk,
            "set_status": Case.Status.RESOLVED,
            "text_pl": "Nowy tekst",
            "text_et": "",
            "text_en": "",
        },
    )

    assert response.status_code == 302
    existing.refresh_from_db()
    assert (existing.team, existing.set_status) == (second, "resolved")
    assert texts_of(existing) == [("pl", "Nowy tekst")]


def test_changes_need_post(client: Client, manager_maja: User) -> None:
    client.force_login(manager_maja)

    response = client.put(reverse("macros:create"))

    assert response.status_code == 405
