import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_login_throttles() -> None:
    cache.clear()
