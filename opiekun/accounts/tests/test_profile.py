import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import User
from opiekun.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Opiekun-new-pass-2026"


def test_profile_shows_the_users_preferences(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 200
    assert response.context["preferences_form"].initial == {
        "language": "en",
        "availability": "online",
    }
    assert response.context["two_factor_on"] is False


def test_changing_the_language_changes_the_ui_at_once(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)

    response = client.post(
        reverse("accounts:profile"), {"language": "pl", "availability": "away"}, follow=True
    )

    agent_ann.refresh_from_db()
    assert (agent_ann.language, agent_ann.availability) == ("pl", "away")
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    assert response["Content-Language"] == "pl"
    assert "Twój profil" in response.content.decode()


def test_an_unknown_availability_changes_nothing(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)

    response = client.post(
        reverse("accounts:profile"), {"language": "pl", "availability": "asleep"}
    )

    agent_ann.refresh_from_db()
    assert response.status_code == 400
    assert (agent_ann.language, agent_ann.availability) == ("en", "online")


def test_changing_the_password_keeps_the_session_and_uses_the_new_one(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    agent_ann.refresh_from_db()
    assert response.status_code == 302
    assert agent_ann.check_password(NEW_PASSWORD) is True
    assert client.session[SESSION_KEY] == str(agent_ann.pk)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_wrong_old_password_changes_nothing(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    agent_ann.refresh_from_db()
    assert response.status_code == 400
    assert list(response.context["password_form"].errors) == ["old_password"]
    assert agent_ann.check_password(PASSWORD) is True


def test_a_weak_new_password_is_refused(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )

    agent_ann.refresh_from_db()
    assert response.status_code == 400
    assert list(response.context["password_form"].errors) == ["new_password2"]
    assert agent_ann.check_password(PASSWORD) is True
