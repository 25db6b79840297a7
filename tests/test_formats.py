"""Dates and times as each language writes them: day before month, a 24-hour clock."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import engines
from django.utils import translation

WHEN = datetime(2026, 11, 24, 16, 30, tzinfo=ZoneInfo("Europe/Warsaw"))


@pytest.mark.parametrize(
    ("language", "short", "long", "time"),
    [
        ("pl", "24.11.2026 16:30", "24 listopada 2026", "16:30"),
        ("et", "24.11.2026 16:30", "24. november 2026", "16:30"),
        ("en", "24/11/2026 16:30", "24 November 2026", "16:30"),
    ],
)
def test_each_language_writes_dates_its_own_way(
    language: str, short: str, long: str, time: str
) -> None:
    template = engines["django"].from_string(
        '{{ when|date:"SHORT_DATETIME_FORMAT" }}|{{ when|date }}|{{ when|time }}'
    )

    with translation.override(language):
        rendered = template.render({"when": WHEN})

    assert rendered == f"{short}|{long}|{time}"
