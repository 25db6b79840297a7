"""Phone numbers are shown grouped for reading, wherever they appear."""

import pytest
from django.template import engines

from opiekun.core.phones import readable_phone


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+48600100200", "+48 600 100 200"),
        ("+48221234567", "+48 22 123 45 67"),
        ("+37250000003", "+372 5000 0003"),
        ("not a number", "not a number"),
    ],
)
def test_numbers_are_grouped_as_people_read_them(stored: str, shown: str) -> None:
    rendered = engines["django"].from_string("{% load phones %}{{ n|phone }}").render({"n": stored})

    assert readable_phone(stored) == shown
    assert rendered == shown
