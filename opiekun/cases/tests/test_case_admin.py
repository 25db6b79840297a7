from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory


def test_admin_lists_and_shows_cases(client: Client, admin_adam: User, team_a: Team) -> None:
    case = CaseFactory.create(team=team_a, subject="Zwrot towaru")
    InteractionFactory.create(case=case)
    client.force_login(admin_adam)

    listing = client.get("/admin/cases/case/?q=Zwrot")
    page = client.get(f"/admin/cases/case/{case.pk}/change/")

    assert (listing.status_code, page.status_code) == (200, 200)
    assert case.number in listing.content.decode()
