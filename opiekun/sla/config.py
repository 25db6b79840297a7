"""The SLA configuration (active policies, calendars' hours), read once per process.

Every case opened needs the active policies and its calendar with every closed day. They change
rarely, so each process keeps them and compares a generation token in the shared cache
(CACHES["default"]) with the one it read them under, at most every CHECK_EVERY seconds. A
change to a policy, calendar, opening period or closed day issues a new token once it commits
(`changed`, called by signals and by code that writes in bulk), so every process reloads soon.

While a thread's own transaction holds an uncommitted change, that thread reads the database
and keeps nothing: a rollback must not leave a configuration behind that never existed.
"""

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from django.core.cache import cache
from django.db import connection, transaction

from opiekun.sla.business_time import BusinessHours
from opiekun.sla.models import BusinessCalendar, SlaPolicy

_GENERATION_KEY = "opiekun:sla-config"
logger = logging.getLogger(__name__)


# Seconds a process trusts its snapshot before asking for the generation again: a change made
# elsewhere applies here within this time (at once in the process that made it).
CHECK_EVERY = 1.0


@dataclass
class _Snapshot:
    token: str
    policies: tuple[SlaPolicy, ...]
    hours: dict[int, BusinessHours] = field(default_factory=dict)
    checked_at: float = 0.0


_snapshot: _Snapshot | None = None
_thread = threading.local()  # .changing: this thread wrote configuration not yet committed


def _token() -> str | None:
    """The current generation, or None when the cache cannot be asked."""
    try:
        token = cache.get(_GENERATION_KEY)
        if token is None:
            # Nobody has issued one since the cache started: the first process to ask does.
            cache.add(_GENERATION_KEY, uuid4().hex, timeout=None)
            token = cache.get(_GENERATION_KEY)
    except Exception:  # Any backend's failure: the cache only saves reads, so read instead.
        if not getattr(_thread, "warned", False):
            _thread.warned = True  # Once per thread, not once per case.
            logger.warning("SLA configuration read without the cache", exc_info=True)
        return None
    return str(token) if token is not None else None


def _load_policies() -> tuple[SlaPolicy, ...]:
    return tuple(SlaPolicy.objects.filter(is_active=True).select_related("calendar"))


def _changing() -> bool:
    if getattr(_thread, "changing", False) and not connection.in_atomic_block:
        _thread.changing = False  # Committed (a new token was issued) or rolled back.
    return bool(getattr(_thread, "changing", False))


def _current() -> _Snapshot | None:
    """The snapshot valid now, loaded if needed; None while this thread is changing it."""
    global _snapshot
    if _changing():
        return None
    snapshot = _snapshot
    now = time.monotonic()
    if snapshot is not None and now - snapshot.checked_at < CHECK_EVERY:
        return snapshot
    token = _token()
    if token is None:
        return None
    if snapshot is None or snapshot.token != token:
        snapshot = _snapshot = _Snapshot(token=token, policies=_load_policies())
    snapshot.checked_at = now
    return snapshot


def active_policies() -> tuple[SlaPolicy, ...]:
    """Active policies in their order (`SlaPolicy.Meta.ordering`), with their calendars."""
    snapshot = _current()
    return snapshot.policies if snapshot is not None else _load_policies()


def calendar_hours(calendar: BusinessCalendar) -> BusinessHours:
    """The calendar's opening hours and closed days."""
    # Imported here: the selectors module reads through this one.
    from opiekun.sla.selectors import read_business_hours

    snapshot = _current()
    if snapshot is None:
        return read_business_hours(calendar)
    hours = snapshot.hours.get(calendar.pk)
    if hours is None:
        hours = snapshot.hours[calendar.pk] = read_business_hours(calendar)
    return hours


def changed(**_signal: Any) -> None:
    """The configuration changed (or will when the transaction commits): forget it here now,
    and issue a new token for every process after the commit."""
    global _snapshot
    _snapshot = None
    if connection.in_atomic_block:
        _thread.changing = True
    transaction.on_commit(_issue_token)


def _issue_token() -> None:
    try:
        cache.set(_GENERATION_KEY, uuid4().hex, timeout=None)
    except Exception:  # As in _token; other processes then keep theirs until it answers again.
        logger.exception("Could not tell other processes the SLA configuration changed")


def forget(**_signal: Any) -> None:
    """Drop what this process holds (tests start each case from the database)."""
    global _snapshot
    _snapshot = None
    _thread.changing = False
