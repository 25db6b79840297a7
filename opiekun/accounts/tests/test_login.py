from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import Settings

from opiekun.accounts.models import User
from opiekun.accounts.services import (
    LoginRefused,
    check_credentials,
    record_failed_login,
    record_successful_login,
)
from opiekun.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "The username or password is not right."
LOCKED = "Too many failed attempts. Signing in is paused; try again in 15 minutes."


def sign_in(client: Client, username: str, password: str, address: str = "127.0.0.1") -> str:
    response = client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )
    if response.status_code == 302:
        return "signed in"
    assert response.status_code == 400
    return " ".join(str(error) for error in response.context["form"].non_field_errors())


def test_right_password_signs_in_and_goes_to_the_case_list(agent_ann: User) -> None:
    client = Client()

    response = client.post(reverse("accounts:login"), {"username": "ann", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:list")
    assert client.session[SESSION_KEY] == str(agent_ann.pk)


def test_sign_in_goes_to_a_safe_next_page_only(agent_ann: User) -> None:
    client = Client()

    response = client.post(
        reverse("accounts:login") + "?next=https://evil.example/",
        {"username": "ann", "password": PASSWORD},
    )
    other = Client().post(
        reverse("accounts:login"),
        {"username": "ann", "password": PASSWORD, "next": "/customers/"},
    )

    assert response["Location"] == reverse("cases:list")
    assert other["Location"] == "/customers/"


def test_wrong_password_and_unknown_username_get_the_same_answer(agent_ann: User) -> None:
    client = Client()

    wrong_password = sign_in(client, "ann", "not it")
    unknown_user = sign_in(client, "nobody", "not it")

    assert wrong_password == WRONG
    assert unknown_user == WRONG
    assert SESSION_KEY not in client.session


def test_inactive_user_gets_the_same_answer_as_a_wrong_password(db: None) -> None:
    UserFactory.create(username="gone", is_active=False)

    answer = sign_in(Client(), "gone", PASSWORD)

    assert answer == WRONG


def test_the_fifth_failure_locks_the_account_for_fifteen_minutes(agent_ann: User) -> None:
    client = Client()
    before = timezone.now()

    answers = [sign_in(client, "ann", f"guess {n}") for n in range(5)]

    agent_ann.refresh_from_db()
    assert answers == [WRONG, WRONG, WRONG, WRONG, LOCKED]
    assert agent_ann.locked_until is not None
    assert before + timedelta(minutes=15) <= agent_ann.locked_until
    assert agent_ann.locked_until <= timezone.now() + timedelta(minutes=15)
    assert agent_ann.failed_logins == 0


def test_a_locked_account_refuses_even_the_right_password(agent_ann: User) -> None:
    agent_ann.locked_until = timezone.now() + timedelta(minutes=3)
    agent_ann.save()
    client = Client()

    answer = sign_in(client, "ann", PASSWORD)

    assert answer == LOCKED
    assert SESSION_KEY not in client.session


def test_an_unknown_username_locks_exactly_like_a_real_one(agent_ann: User) -> None:
    real = [sign_in(Client(), "ann", f"guess {n}") for n in range(6)]
    unknown = [sign_in(Client(), "nobody", f"guess {n}") for n in range(6)]

    assert real == [WRONG, WRONG, WRONG, WRONG, LOCKED, LOCKED]
    assert unknown == real


def test_after_the_lock_ends_the_user_can_sign_in_and_the_count_is_cleared(
    agent_ann: User,
) -> None:
    agent_ann.failed_logins = 3
    agent_ann.locked_until = timezone.now() - timedelta(seconds=1)
    agent_ann.save()

    answer = sign_in(Client(), "ann", PASSWORD)

    agent_ann.refresh_from_db()
    assert answer == "signed in"
    assert agent_ann.failed_logins == 0
    assert agent_ann.locked_until is None


def test_the_lockout_follows_the_settings(agent_ann: User, settings: Settings) -> None:
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_LOCKOUT_MINUTES = 1

    answers = [sign_in(Client(), "ann", "guess") for _ in range(2)]

    assert answers == [
        WRONG,
        "Too many failed attempts. Signing in is paused; try again in 1 minute.",
    ]


def test_one_address_guessing_across_usernames_is_slowed(db: None) -> None:
    client = Client()
    usernames = [f"someone{n}" for n in range(20)]

    answers = [sign_in(client, name, "guess", address="203.0.113.9") for name in usernames]
    after = sign_in(client, "someone-else", "guess", address="203.0.113.9")
    elsewhere = sign_in(Client(), "someone-else", "guess", address="198.51.100.2")

    assert answers == [WRONG] * 20
    assert after == LOCKED
    assert elsewhere == WRONG


def test_a_throttled_address_cannot_sign_in_even_with_the_right_password(
    agent_ann: User,
) -> None:
    cache.set("accounts:login-ip:203.0.113.9", 20)

    answer = sign_in(Client(), "ann", PASSWORD, address="203.0.113.9")

    agent_ann.refresh_from_db()
    assert answer == LOCKED
    assert agent_ann.failed_logins == 0


def test_lockout_message_is_translated(agent_ann: User) -> None:
    agent_ann.locked_until = timezone.now() + timedelta(minutes=3)
    agent_ann.save()
    client = Client()
    session = client.session
    session["language"] = "pl"
    session.save()

    response = client.post(reverse("accounts:login"), {"username": "ann", "password": PASSWORD})

    assert response.status_code == 400
    assert [str(e) for e in response.context["form"].non_field_errors()] == [
        "Zbyt wiele nieudanych prób. Logowanie jest wstrzymane; spróbuj ponownie za 15 minut."
    ]


def test_record_failed_login_counts_and_locks_at_the_limit(agent_ann: User) -> None:
    for _ in range(4):
        record_failed_login(agent_ann)
    counted = User.objects.get(pk=agent_ann.pk)

    record_failed_login(agent_ann)

    locked = User.objects.get(pk=agent_ann.pk)
    assert counted.failed_logins == 4
    assert counted.locked_until is None
    assert locked.failed_logins == 0
    assert locked.is_locked() is True


def test_record_successful_login_clears_count_and_lock(agent_ann: User) -> None:
    agent_ann.failed_logins = 4
    agent_ann.locked_until = timezone.now() + timedelta(minutes=5)
    agent_ann.save()

    record_successful_login(agent_ann)

    stored = User.objects.get(pk=agent_ann.pk)
    assert (stored.failed_logins, stored.locked_until) == (0, None)


def test_check_credentials_returns_the_user(agent_ann: User) -> None:
    user = check_credentials("ann", password=PASSWORD, client_ip="192.0.2.1")

    assert user == agent_ann


def test_check_credentials_refuses_with_the_generic_message(agent_ann: User) -> None:
    with translation.override("en"), pytest.raises(LoginRefused) as refused:
        check_credentials("ann", password="nope", client_ip="192.0.2.1")

    assert refused.value.message == WRONG
    assert User.objects.get(pk=agent_ann.pk).failed_logins == 1


def test_signing_in_hashes_with_the_first_configured_hasher(
    agent_ann: User, settings: Settings
) -> None:
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    answer = sign_in(Client(), "ann", PASSWORD)

    agent_ann.refresh_from_db()
    assert answer == "signed in"
    assert agent_ann.password.startswith("argon2$argon2id$")


def test_a_signed_in_user_visiting_the_login_page_goes_on(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)

    response = client.get(reverse("accounts:login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:list")


def test_logout_is_post_only_and_ends_the_session(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)

    by_get = client.get(reverse("accounts:logout"))
    still_in = SESSION_KEY in client.session
    by_post = client.post(reverse("accounts:logout"))

    assert by_get.status_code == 405
    assert still_in is True
    assert by_post.status_code == 302
    assert by_post["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_anonymous_language_choice_changes_the_login_page(db: None) -> None:
    client = Client()

    response = client.post(
        reverse("accounts:set_language"), {"language": "et", "next": reverse("accounts:login")}
    )
    page = client.get(reverse("accounts:login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert client.session["language"] == "et"
    assert page["Content-Language"] == "et"
    assert "Logi sisse" in page.content.decode()


def test_language_switch_ignores_unknown_languages_and_foreign_next(db: None) -> None:
    client = Client()

    response = client.post(
        reverse("accounts:set_language"), {"language": "de", "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("accounts:login")
    assert "language" not in client.session
