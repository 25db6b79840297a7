"""API test helpers: a client that sends a persona's personal token."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from opiekun.accounts.models import User
from opiekun.api.services import issue_token

type ClientFor = Callable[[User], Client]


@pytest.fixture
def client_for(db: None) -> ClientFor:
    """A test client that authenticates as `user` with a fresh personal token."""

    def make(user: User, **headers: Any) -> Client:
        _token, raw = issue_token(user, name="tests")
        return Client(headers={"Authorization": f"Bearer {raw}", **headers})

    return make
