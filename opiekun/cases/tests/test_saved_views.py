"""Saved views: an agent keeps a list for themself, a lead or manager for a team; each shows
only to whom it belongs, and its owner may delete it."""

from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.cases.models import SavedView


def shown(client: Client) -> list[str]:
    response = client.get("/cases/")
    assert response.status_code == 200
    return [view.name for view, _url, _can_delete in response.context["views"]]


def test_an_agent_saves_the_list_as_shown_for_themself(
    client: Client, agent_ann: User, lead_lee: User
) -> None:
    client.force_login(agent_ann)

    response = client.post(
        "/cases/views/",
        {
            "view-name": "Pilne reklamacje",
            "view-owner": "me",
            "view-query": "tab=team&priority=urgent&kind=complaint&sort=created&cursor=x&evil=1",
        },
    )

    view = SavedView.objects.get()
    assert (view.user, view.team, view.query) == (
        agent_ann,
        None,
        "tab=team&sort=created&priority=urgent&kind=complaint",
    )
    assert response["Location"] == f"/cases/?{view.query}&view={view.pk}"
    assert shown(client) == ["Pilne reklamacje"]
    client.force_login(lead_lee)
    assert shown(client) == []


def test_an_agent_cannot_save_a_view_for_the_team(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    client.force_login(agent_ann)

    client.post(
        "/cases/views/",
        {"view-name": "Dla zespołu", "view-owner": str(team_a.pk), "view-query": "tab=team"},
    )

    assert not SavedView.objects.exists()


def test_a_team_view_shows_to_that_team_only(
    client: Client, lead_lee: User, agent_ann: User, agent_otto: User, team_a: Team
) -> None:
    client.force_login(lead_lee)
    client.post(
        "/cases/views/",
        {"view-name": "Kolejka A", "view-owner": str(team_a.pk), "view-query": "tab=unassigned"},
    )

    client.force_login(agent_ann)
    seen_by_ann = shown(client)
    client.force_login(agent_otto)
    seen_by_otto = shown(client)

    assert SavedView.objects.get().team == team_a
    assert (seen_by_ann, seen_by_otto) == (["Kolejka A"], [])


def test_the_owner_deletes_their_view(client: Client, agent_ann: User) -> None:
    view = SavedView.objects.create(name="Moje", user=agent_ann, query="tab=mine")
    client.force_login(agent_ann)

    response = client.post(f"/cases/views/{view.pk}/delete/")

    assert response.status_code == 302
    assert not SavedView.objects.exists()


def test_nobody_else_deletes_a_personal_view_and_an_agent_cannot_delete_a_team_view(
    client: Client, agent_ann: User, lead_lee: User, team_a: Team
) -> None:
    personal = SavedView.objects.create(name="Moje", user=agent_ann, query="tab=mine")
    shared = SavedView.objects.create(name="Zespół", team=team_a, query="tab=team")

    client.force_login(lead_lee)
    lee_deletes_ann_s = client.post(f"/cases/views/{personal.pk}/delete/")
    client.force_login(agent_ann)
    ann_deletes_team_s = client.post(f"/cases/views/{shared.pk}/delete/")

    assert (lee_deletes_ann_s.status_code, ann_deletes_team_s.status_code) == (404, 404)
    assert SavedView.objects.count() == 2


def test_a_saved_view_opens_with_its_tab_filters_and_sort_and_is_marked_current(
    client: Client, agent_ann: User
) -> None:
    view = SavedView.objects.create(
        name="Pilne", user=agent_ann, query="tab=team&sort=priority&priority=urgent"
    )
    client.force_login(agent_ann)

    response = client.get(f"/cases/?{view.query}&view={view.pk}")

    html = response.content.decode()
    assert (response.context["tab"], response.context["sort"]) == ("team", "priority")
    assert response.context["form"].filters().priority == "urgent"
    assert (
        f'<a class="saved-view" href="?tab=team&amp;sort=priority&amp;priority=urgent&amp;'
        f'view={view.pk}" aria-current="page">Pilne</a>'
    ) in html
