from typing import Any

from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Interaction, Macro, MacroTranslation
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory


def macro(team: Team | None, *, set_status: str = "") -> Macro:
    made = Macro.objects.create(name="Paczka w drodze", team=team, set_status=set_status)
    MacroTranslation.objects.create(
        macro=made,
        language="pl",
        body="Dzień dobry {{ customer.name }}, paczka do {{ case.number }} jest w drodze.",
    )
    MacroTranslation.objects.create(macro=made, language="en", body="Your parcel is on its way.")
    return made


def test_the_reply_form_offers_the_cases_macros(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    ours = macro(team_a)
    Macro.objects.create(name="Team B only", team=team_b)
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()

    assert f'<option value="{ours.pk}">Paczka w drodze</option>' in html
    assert "Team B only" not in html


def test_htmx_insert_fills_the_reply_box_in_the_cases_language(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    chosen = macro(team_a)
    case = CaseFactory.create(team=team_a, customer=CustomerFactory.create(name="Jan"))
    client.force_login(agent_ann)

    response = client.get(
        f"/cases/{case.number}/macro/",
        {"macro-macro": str(chosen.pk), "body": ""},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert html.lstrip().startswith(
        '<section id="compose" class="card compose" hx-swap-oob="true">'
    )
    assert f"Dzień dobry Jan, paczka do {case.number} jest w drodze.</textarea>" in html
    assert f'name="macro_id" value="{chosen.pk}"' in html


def test_insert_without_javascript_keeps_what_was_written(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    chosen = macro(None)
    case = CaseFactory.create(team=team_a, customer=CustomerFactory.create(name="Jan"))
    client.force_login(agent_ann)

    response = client.post(
        f"/cases/{case.number}/macro/", {"macro-macro": chosen.pk, "body": "Witam,"}
    )

    assert response.status_code == 200
    assert (
        f"Witam,\n\nDzień dobry Jan, paczka do {case.number} jest w drodze.</textarea>"
        in response.content.decode()
    )
    assert not Interaction.objects.exists()


def test_a_reply_sent_with_a_macro_applies_its_status(
    client: Client, agent_ann: User, team_a: Team, django_capture_on_commit_callbacks: Any
) -> None:
    chosen = macro(team_a, set_status=Case.Status.RESOLVED)
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    case = CaseFactory.create(team=team_a, customer=customer, status=Case.Status.OPEN)
    client.force_login(agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{case.number}/reply/", {"body": "Gotowe", "macro_id": chosen.pk})

    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED


def test_a_macro_of_another_team_does_not_apply(
    client: Client,
    agent_ann: User,
    team_a: Team,
    team_b: Team,
    django_capture_on_commit_callbacks: Any,
) -> None:
    theirs = macro(team_b, set_status=Case.Status.CLOSED)
    case = CaseFactory.create(team=team_a, status=Case.Status.OPEN)
    client.force_login(agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{case.number}/reply/", {"body": "Gotowe", "macro_id": theirs.pk})

    case.refresh_from_db()
    assert case.status == Case.Status.PENDING_CUSTOMER


def test_the_macro_picker_is_optional(
    client: Client, agent_ann: User, team_a: Team, django_capture_on_commit_callbacks: Any
) -> None:
    macro(team_a)
    case = CaseFactory.create(team=team_a, status=Case.Status.OPEN)
    client.force_login(agent_ann)

    html = client.get(f"/cases/{case.number}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{case.number}/reply/", {"body": "Bez makra", "macro-macro": ""}
        )

    picker = html[html.index('name="macro-macro"') - 200 : html.index('name="macro-macro"') + 100]
    assert "required" not in picker
    assert response.status_code == 302
    assert case.interactions.get().body_text == "Bez makra"


def test_a_macros_status_change_is_shown_and_can_be_declined(
    client: Client, agent_ann: User, team_a: Team, django_capture_on_commit_callbacks: Any
) -> None:
    chosen = macro(team_a, set_status=Case.Status.RESOLVED)
    case = CaseFactory.create(team=team_a, status=Case.Status.OPEN)
    client.force_login(agent_ann)

    inserted = client.get(
        f"/cases/{case.number}/macro/",
        {"macro-macro": str(chosen.pk), "body": ""},
        headers={"HX-Request": "true"},
    ).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{case.number}/reply/", {"body": "Gotowe"})  # the box unticked

    assert f'<input type="checkbox" name="macro_id" value="{chosen.pk}" checked>' in inserted
    assert "Then set the status to Resolved (from the macro)" in inserted
    case.refresh_from_db()
    assert case.status == Case.Status.PENDING_CUSTOMER
