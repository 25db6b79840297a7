"""Handle times as people type and read them."""

import pytest
from django.utils import translation

from opiekun.core.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("4", 240), (" 4:30 ", 270), ("0:45", 45), ("1:04:30", 3870), ("0", 0), ("600", 36000)],
)
def test_typed_times_are_read_as_minutes_and_seconds(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "4:60", "4.5", "-3", "4:30:10:5", "abc", "601", "4:"])
def test_anything_else_is_refused(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(45, "45 s"), (270, "4 min 30 s"), (245, "4 min 05 s"), (3870, "1 h 04 min"), (-5, "0 s")],
)
def test_times_are_shown_in_minutes_and_seconds(seconds: int, shown: str) -> None:
    with translation.override("en"):
        assert format_duration(seconds) == shown
