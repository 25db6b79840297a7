from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, CaseLink, Event, Interaction
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory


def test_merge_page_asks_which_case(client: Client, agent_ann: User, team_a: Team) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = client.get(f"/cases/{case.number}/merge/")

    assert response.status_code == 200
    assert 'name="into"' in response.content.decode()


def test_merging_moves_the_interactions_and_closes_the_source(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    source = CaseFactory.create(team=team_a)
    into = CaseFactory.create(team=team_a)
    moved = InteractionFactory.create(case=source)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{source.number}/merge/", {"into": into.number})

    assert response.status_code == 302
    assert response["Location"] == f"/cases/{into.number}/"
    source.refresh_from_db()
    moved.refresh_from_db()
    assert (source.merged_into, source.status, moved.case) == (into, Case.Status.CLOSED, into)


def test_merging_into_a_case_of_another_team_is_refused_as_unknown(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    source = CaseFactory.create(team=team_a)
    other = CaseFactory.create(team=team_b)
    InteractionFactory.create(case=source)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{source.number}/merge/", {"into": other.number})

    assert response.status_code == 400
    assert f"There is no case {other.number} you may see." in response.content.decode()
    source.refresh_from_db()
    assert (source.merged_into, source.status) == (None, Case.Status.NEW)
    assert Interaction.objects.filter(case=source).count() == 1
    assert not Event.objects.exists()


def test_merging_a_case_into_itself_shows_why_not(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/merge/", {"into": case.number})

    assert response.status_code == 400
    assert "A case cannot be merged into itself." in response.content.decode()


def test_splitting_an_interaction_opens_a_new_linked_case(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    InteractionFactory.create(case=case)
    second = InteractionFactory.create(case=case, body_text="A inna sprawa: faktura")
    client.force_login(agent_ann)

    response = client.post(
        f"/cases/{case.number}/interactions/{second.pk}/split/", {"subject": "Faktura"}
    )

    new = Case.objects.exclude(pk=case.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{new.number}/"
    second.refresh_from_db()
    assert (new.subject, second.case) == ("Faktura", new)
    assert list(CaseLink.objects.values_list("source", "target", "kind")) == [
        (new.pk, case.pk, CaseLink.Kind.SPLIT_FROM)
    ]


def test_the_only_interaction_cannot_be_split_off(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    only = InteractionFactory.create(case=case)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/interactions/{only.pk}/split/", follow=True)

    assert response.redirect_chain == [(f"/cases/{case.number}/", 302)]
    assert (
        f"This is the only interaction on case {case.number}, so it cannot be split off."
        in response.content.decode()
    )
    assert Case.objects.count() == 1


def test_linking_and_unlinking_cases(client: Client, agent_ann: User, team_a: Team) -> None:
    case = CaseFactory.create(team=team_a)
    other = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    linked = client.post(
        f"/cases/{case.number}/links/", {"link-other": other.number, "link-kind": "related"}
    )
    link = CaseLink.objects.get()
    page = client.get(f"/cases/{other.number}/").content.decode()
    removed = client.post(f"/cases/{other.number}/links/{link.pk}/remove/")

    assert (linked.status_code, removed.status_code) == (302, 302)
    assert (link.source, link.target, link.kind) == (case, other, CaseLink.Kind.RELATED)
    assert f'Ann linked this case with <a href="/cases/{case.number}/">{case.number}</a>' in page
    assert not CaseLink.objects.exists()
    assert list(Event.objects.filter(case=case).values_list("kind", flat=True)) == [
        Event.Kind.LINKED,
        Event.Kind.UNLINKED,
    ]


def test_linking_twice_shows_why_not(client: Client, agent_ann: User, team_a: Team) -> None:
    case = CaseFactory.create(team=team_a)
    other = CaseFactory.create(team=team_a)
    CaseLink.objects.create(source=other, target=case)
    client.force_login(agent_ann)

    response = client.post(
        f"/cases/{case.number}/links/", {"link-other": other.number, "link-kind": "duplicate"}
    )

    assert response.status_code == 400
    assert f"Cases {case.number} and {other.number} are already linked." in (
        response.content.decode()
    )
    assert CaseLink.objects.count() == 1


def test_a_link_to_an_invisible_case_cannot_be_removed(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    hidden = CaseFactory.create(team=team_b)
    link = CaseLink.objects.create(source=case, target=hidden)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/links/{link.pk}/remove/")

    assert response.status_code == 404
    assert CaseLink.objects.filter(pk=link.pk).exists()
