from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from opiekun.accounts.models import ApiToken, Team, User
from opiekun.api.services import issue_token, revoke_token
from opiekun.api.tests.conftest import ClientFor
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.tests.factories import CustomerFactory


def test_create_token_prints_a_token_once_and_stores_only_its_digest(agent_ann: User) -> None:
    out, err = StringIO(), StringIO()

    call_command("create_token", "ann", "--name", "CRM sync", stdout=out, stderr=err)

    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=agent_ann)
    assert raw.startswith("opk_")
    assert len(raw) == 47
    assert (token.name, token.prefix, token.digest) == (
        "CRM sync",
        raw[:12],
        ApiToken.digest_of(raw),
    )
    assert raw not in err.getvalue()
    assert "ann" in err.getvalue()


@pytest.mark.django_db
def test_create_token_for_unknown_user_fails() -> None:
    with pytest.raises(CommandError, match="No staff user is called “nobody”"):
        call_command("create_token", "nobody", stdout=StringIO(), stderr=StringIO())

    assert ApiToken.objects.count() == 0


def test_create_token_for_inactive_user_fails(agent_ann: User) -> None:
    agent_ann.is_active = False
    agent_ann.save()

    with pytest.raises(CommandError, match="is not active"):
        call_command("create_token", "ann", stdout=StringIO(), stderr=StringIO())

    assert ApiToken.objects.count() == 0


def test_bearer_token_authenticates_as_its_user(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)
    _token, raw = issue_token(agent_ann)

    response = Client().get(
        f"/api/v1/cases/{case.number}", headers={"Authorization": f"Bearer {raw}"}
    )

    assert response.status_code == 200
    assert response.json()["number"] == case.number


def test_revoked_token_is_refused(agent_ann: User) -> None:
    token, raw = issue_token(agent_ann)
    revoke_token(token)

    response = Client().get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401
    assert response.json() == {
        "detail": "Sign in, or send a valid API token as “Authorization: Bearer …”.",
        "code": "not_authenticated",
    }
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="api"'


def test_token_of_inactive_user_is_refused(agent_ann: User) -> None:
    _token, raw = issue_token(agent_ann)
    agent_ann.is_active = False
    agent_ann.save()

    response = Client().get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401


@pytest.mark.django_db
def test_unknown_token_is_refused_even_on_a_post() -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/customers",
        {"email": "a@example.pl"},
        content_type="application/json",
        headers={"Authorization": "Bearer opk_made-up"},
    )

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_no_credentials_is_401_not_a_csrf_failure() -> None:
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/customers", {"email": "a@example.pl"}, content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_last_used_is_stamped_at_most_once_a_minute(agent_ann: User, client_for: ClientFor) -> None:
    token, raw = issue_token(agent_ann)
    client = Client(headers={"Authorization": f"Bearer {raw}"})

    client.get("/api/v1/cases")
    token.refresh_from_db()
    first_use = token.last_used_at
    client.get("/api/v1/cases")
    token.refresh_from_db()
    second_use = token.last_used_at
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get("/api/v1/cases")
    token.refresh_from_db()

    assert first_use is not None
    assert second_use == first_use
    assert token.last_used_at is not None
    assert token.last_used_at > first_use


def test_signed_in_session_can_read(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)
    client = Client()
    client.force_login(agent_ann)

    response = client.get(f"/api/v1/cases/{case.number}")

    assert response.status_code == 200


def test_session_write_needs_the_csrf_token(agent_ann: User) -> None:
    customer = CustomerFactory.create(name="Old")
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent_ann)

    refused = client.patch(
        f"/api/v1/customers/{customer.pk}", {"name": "New"}, content_type="application/json"
    )

    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    customer.refresh_from_db()
    assert customer.name == "Old"


def test_session_write_with_the_csrf_token_is_accepted(agent_ann: User) -> None:
    customer = CustomerFactory.create(name="Old")
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent_ann)
    csrf = "a" * 32
    client.cookies["csrftoken"] = csrf

    response = client.patch(
        f"/api/v1/customers/{customer.pk}",
        {"name": "New"},
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )

    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.name == "New"


def test_errors_follow_accept_language(agent_ann: User) -> None:
    response = Client().get("/api/v1/cases", headers={"Accept-Language": "pl"})

    assert response.status_code == 401
    assert response.json()["detail"] == (
        "Zaloguj się albo wyślij ważny token API jako „Authorization: Bearer …”."
    )


def test_token_users_language_is_used_without_accept_language(
    agent_ann: User, client_for: ClientFor
) -> None:
    agent_ann.language = "et"
    agent_ann.save()

    response = client_for(agent_ann).get("/api/v1/cases/2026-999999")

    assert response.status_code == 404
    assert response.json() == {"detail": "Sellist pöördumist ei ole.", "code": "not_found"}
