"""Personas shared by every app's tests: Ann and Lee work in team A, Otto in team B."""

import pytest

from opiekun.accounts.models import Team, User
from opiekun.accounts.tests.factories import TeamFactory, UserFactory
from opiekun.sla import config as sla_config


@pytest.fixture(autouse=True)
def _fast_hasher_and_media(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    # One test (accounts/tests/test_security.py) checks production uses argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")  # type: ignore[attr-defined]
    # Rate-limit counters need no database in tests; production shares them in the database.
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    # Each test starts from the database, not from configuration an earlier test left.
    sla_config.forget()
    settings.TASKS = {
        "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }  # type: ignore[attr-defined]


@pytest.fixture
def team_a(db: None) -> Team:
    return TeamFactory.create(name="Team A")


@pytest.fixture
def team_b(db: None) -> Team:
    return TeamFactory.create(name="Team B")


@pytest.fixture
def agent_ann(team_a: Team) -> User:
    user = UserFactory.create(username="ann", first_name="Ann", role=User.Role.AGENT)
    team_a.members.add(user)
    return user


@pytest.fixture
def lead_lee(team_a: Team) -> User:
    user = UserFactory.create(username="lee", first_name="Lee", role=User.Role.LEAD)
    team_a.members.add(user)
    return user


@pytest.fixture
def agent_otto(team_b: Team) -> User:
    user = UserFactory.create(username="otto", first_name="Otto", role=User.Role.AGENT)
    team_b.members.add(user)
    return user


@pytest.fixture
def manager_maja(db: None) -> User:
    return UserFactory.create(username="maja", first_name="Maja", role=User.Role.MANAGER)


@pytest.fixture
def admin_adam(db: None) -> User:
    return UserFactory.create(
        username="adam", first_name="Adam", role=User.Role.ADMIN, is_staff=True, is_superuser=True
    )
