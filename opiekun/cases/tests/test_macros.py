import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from opiekun.accounts.models import Team, User
from opiekun.accounts.tests.factories import UserFactory
from opiekun.cases.macros import (
    access_macro,
    delete_macro,
    macro_status,
    macros_for,
    manageable_teams,
    may_create_macros,
    render_macro,
    save_macro,
    visible_macros,
)
from opiekun.cases.models import Case, Macro, MacroTranslation
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.tests.factories import CustomerFactory


def macro(name: str, team: Team | None = None, **texts: str) -> Macro:
    created = Macro.objects.create(name=name, team=team)
    for language, body in texts.items():
        MacroTranslation.objects.create(macro=created, language=language, body=body)
    return created


@pytest.fixture
def case(team_a: Team) -> Case:
    return CaseFactory.create(
        team=team_a,
        number="2026-000042",
        subject="Zwrot towaru",
        language="pl",
        customer=CustomerFactory.create(name="Jan Kowalski"),
    )


@pytest.fixture
def agent(team_a: Team) -> User:
    user = UserFactory.create(username="ewa", first_name="Ewa", last_name="Tamm")
    team_a.members.add(user)
    return user


def test_macros_for_a_case_are_global_ones_and_its_teams(case: Case, team_b: Team) -> None:
    greeting = macro("Powitanie")
    refund = macro("Zwrot", case.team)
    macro("Inny zespół", team_b)

    assert list(macros_for(case)) == [greeting, refund]


def test_render_macro_fills_in_the_whitelisted_variables(case: Case, agent: User) -> None:
    welcome = macro(
        "Powitanie",
        pl=(
            "Dzień dobry {{ customer.name }}, zgłoszenie {{case.number}} "
            "({{  case.subject }}) prowadzi {{ agent.name }} z zespołu {{ team.name }}."
        ),
    )

    text = render_macro(welcome, case=case, agent=agent)

    assert text == (
        "Dzień dobry Jan Kowalski, zgłoszenie 2026-000042 (Zwrot towaru) "
        "prowadzi Ewa Tamm z zespołu Team A."
    )


def test_render_macro_uses_the_username_for_an_agent_without_a_name(
    case: Case, team_a: Team
) -> None:
    nameless = UserFactory.create(username="kasia")
    signed = macro("Podpis", pl="{{ agent.name }}")

    assert render_macro(signed, case=case, agent=nameless) == "kasia"


def test_render_macro_leaves_unknown_variables_and_template_syntax_visible(
    case: Case, agent: User
) -> None:
    tricky = macro(
        "Podstęp",
        pl=(
            "{{ customer.email }} {{ settings.SECRET_KEY }} {% load static %} "
            "{{ agent.name|upper }} {{ case.number }} <b>{{ customer.name }}</b>"
        ),
    )

    text = render_macro(tricky, case=case, agent=agent)

    assert text == (
        "{{ customer.email }} {{ settings.SECRET_KEY }} {% load static %} "
        "{{ agent.name|upper }} 2026-000042 <b>Jan Kowalski</b>"
    )


def test_render_macro_does_not_substitute_inside_substituted_values(
    team_a: Team, agent: User
) -> None:
    sly = CaseFactory.create(
        team=team_a, customer=CustomerFactory.create(name="{{ agent.name }}"), subject="x"
    )
    echo = macro("Echo", pl="{{ customer.name }}")

    assert render_macro(echo, case=sly, agent=agent) == "{{ agent.name }}"


@pytest.mark.parametrize(
    ("texts", "language", "expected"),
    [
        ({"pl": "Dzień dobry", "et": "Tere", "en": "Hello"}, None, "Dzień dobry"),
        ({"pl": "Dzień dobry", "et": "Tere", "en": "Hello"}, "et", "Tere"),
        ({"et": "Tere", "en": "Hello"}, None, "Hello"),
        ({"et": "Tere"}, None, "Tere"),
        ({}, None, ""),
    ],
)
def test_render_macro_picks_the_case_language_then_english_then_any(
    case: Case, agent: User, texts: dict[str, str], language: str | None, expected: str
) -> None:
    greeting = macro("Powitanie")
    for code, body in texts.items():
        MacroTranslation.objects.create(macro=greeting, language=code, body=body)

    assert render_macro(greeting, case=case, agent=agent, language=language) == expected


def test_macro_status_is_the_status_the_reply_sets(db: None) -> None:
    closing = Macro.objects.create(name="Zamknięcie", set_status=Case.Status.RESOLVED)
    plain = Macro.objects.create(name="Powitanie")

    assert (macro_status(closing), macro_status(plain)) == ("resolved", "")


def test_agents_see_global_and_their_teams_macros(
    agent_ann: User, team_a: Team, team_b: Team
) -> None:
    greeting = macro("Powitanie")
    own = macro("Zespół A", team_a)
    macro("Zespół B", team_b)

    assert list(visible_macros(agent_ann)) == [greeting, own]


def test_managers_see_every_macro(manager_maja: User, team_a: Team, team_b: Team) -> None:
    macros = [macro("A", team_a), macro("B", team_b), macro("C")]

    assert list(visible_macros(manager_maja)) == macros


def test_who_may_manage_which_teams(
    agent_ann: User, lead_lee: User, manager_maja: User, admin_adam: User, team_b: Team
) -> None:
    team_a = lead_lee.teams.get()

    assert list(manageable_teams(agent_ann)) == []
    assert list(manageable_teams(lead_lee)) == [team_a]
    assert list(manageable_teams(manager_maja)) == [team_a, team_b]
    assert list(manageable_teams(admin_adam)) == [team_a, team_b]
    assert [may_create_macros(u) for u in (agent_ann, lead_lee, manager_maja)] == [
        False,
        True,
        True,
    ]


def test_a_lead_without_a_team_may_not_create_macros(db: None) -> None:
    lonely = UserFactory.create(role=User.Role.LEAD)

    assert may_create_macros(lonely) is False


def test_access_macro_refuses_another_teams_macro_with_404(agent_otto: User, team_a: Team) -> None:
    theirs = macro("Zespół A", team_a)

    with pytest.raises(Http404):
        access_macro(agent_otto, theirs.pk)


def test_access_macro_to_manage_refuses_agents_and_leads_on_global_macros(
    agent_ann: User, lead_lee: User, manager_maja: User, team_a: Team
) -> None:
    own = macro("Zespół A", team_a)
    shared = macro("Wszyscy")

    assert access_macro(agent_ann, own.pk) == own
    with pytest.raises(PermissionDenied):
        access_macro(agent_ann, own.pk, manage=True)
    assert access_macro(lead_lee, own.pk, manage=True) == own
    with pytest.raises(PermissionDenied):
        access_macro(lead_lee, shared.pk, manage=True)
    assert access_macro(manager_maja, shared.pk, manage=True, for_update=True) == shared


def test_save_macro_creates_the_macro_with_one_text_per_language(
    lead_lee: User, team_a: Team
) -> None:
    created = save_macro(
        None,
        name="  Zwrot ",
        team=team_a,
        set_status=Case.Status.PENDING_CUSTOMER,
        texts={"pl": "Prosimy o numer konta.", "et": " Palun saatke kontonumber. ", "en": ""},
        by=lead_lee,
    )

    stored = Macro.objects.get()
    assert stored == created
    assert (stored.name, stored.team, stored.set_status, stored.created_by) == (
        "Zwrot",
        team_a,
        "pending_customer",
        lead_lee,
    )
    assert sorted(stored.translations.values_list("language", "body")) == [
        ("et", "Palun saatke kontonumber."),
        ("pl", "Prosimy o numer konta."),
    ]


def test_save_macro_updates_texts_and_removes_blank_ones(
    manager_maja: User, lead_lee: User, team_a: Team
) -> None:
    existing = macro("Stara", team_a, pl="Stary tekst", et="Vana tekst")
    existing.created_by = lead_lee
    existing.save()

    save_macro(
        existing,
        name="Nowa",
        team=None,
        set_status="",
        texts={"pl": "Nowy tekst", "et": "", "en": "New text"},
        by=manager_maja,
    )

    stored = Macro.objects.get()
    assert (stored.name, stored.team, stored.set_status, stored.created_by) == (
        "Nowa",
        None,
        "",
        lead_lee,
    )
    assert sorted(stored.translations.values_list("language", "body")) == [
        ("en", "New text"),
        ("pl", "Nowy tekst"),
    ]


def test_delete_macro_removes_it_and_its_texts(manager_maja: User) -> None:
    doomed = macro("Stara", pl="Tekst", en="Text")
    kept = macro("Nowa", pl="Tekst")

    delete_macro(doomed, by=manager_maja)

    assert list(Macro.objects.all()) == [kept]
    assert list(MacroTranslation.objects.values_list("macro", flat=True)) == [kept.pk]
