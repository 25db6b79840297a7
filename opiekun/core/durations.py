"""Handle and waiting times as people type and read them: minutes and seconds ("4:30")."""

from django.utils.translation import gettext as _

LIMIT = 10 * 3600  # no call or visit is handled for ten hours; a longer figure is a typo


def parse_duration(text: str) -> int | None:
    """Seconds from "4" (minutes), "4:30" (minutes:seconds) or "1:04:30"; None when the text
    is not one of these or the time is over LIMIT."""
    parts = text.strip().split(":")
    if not all(part.isdigit() and len(part) <= 3 for part in parts) or len(parts) > 3:
        return None
    numbers = [int(part) for part in parts]
    if any(number >= 60 for number in numbers[1:]):
        return None
    if len(numbers) == 1:
        seconds = numbers[0] * 60
    else:
        seconds = 0
        for number in numbers:
            seconds = seconds * 60 + number
    return seconds if seconds <= LIMIT else None


def format_duration(seconds: int) -> str:
    """ "45 s", "4 min 05 s", "1 h 02 min": exact to the second below an hour."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return _("%(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}
    if minutes:
        return _("%(minutes)d min %(seconds)02d s") % {"minutes": minutes, "seconds": seconds}
    return _("%(seconds)d s") % {"seconds": seconds}
