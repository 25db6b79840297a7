"""Mail loops with robots that set no loop headers (another helpdesk answering our
acknowledgements with acknowledgements of its own), and a daily cap on automatic mail.

A round is one of our automatic messages to an address followed, within RAPID, by a new
message from that address with a similar subject. LOOP_ROUNDS rounds within a day are a
loop: automatic answers to that address stop for the rest of the day and the administrators
are told once. However it looks, no address gets more than DAILY_LIMIT automatic messages a
day (outbound keeps its hourly cap too).
"""

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from opiekun.accounts.models import User
from opiekun.cases.models import Channel, Interaction
from opiekun.core.emails import send_email
from opiekun.customers.models import Identity

logger = logging.getLogger(__name__)

DAILY_LIMIT = 10
RAPID = timedelta(minutes=10)
LOOP_ROUNDS = 2
_DAY = timedelta(days=1)
# Reply and forward prefixes, ticket tags ([#2026-000123], [Ticket#123], (#123)) and numbers
# differ from round to round of a loop; the words of the subject do not.
_NOISE = re.compile(
    r"\[[^\]]*\]|\([^)]*#[^)]*\)|\b(re|odp|vs|aw|sv|fw|fwd|tr|wg)\s*:|#?\d+", re.IGNORECASE
)


def subject_key(subject: str) -> str:
    """A subject's words without prefixes, tags and numbers, for comparing loop rounds."""
    return " ".join(_NOISE.sub(" ", subject.lower()).split())


def _recent(address: str) -> list[tuple[str, str, datetime, dict[str, object]]]:
    """(direction, subject, started_at, meta) of the day's email on the address's customers'
    cases: identity by its index, then cases by `case_customer`, interactions by
    `interaction_case`."""
    customers = Identity.objects.filter(kind=Identity.Kind.EMAIL, value=address).values(
        "customer_id"
    )
    rows = (
        Interaction.objects.filter(
            case__customer_id__in=customers,
            channel=Channel.EMAIL,
            started_at__gte=timezone.now() - _DAY,
        )
        .order_by("started_at", "id")
        .values_list("direction", "subject", "started_at", "meta")
    )
    return [(d, s, t, m if isinstance(m, dict) else {}) for d, s, t, m in rows]


def _ours_to(meta: dict[str, object], direction: str, address: str) -> bool:
    return (
        direction == Interaction.Direction.OUTBOUND
        and bool(meta.get("auto"))
        and str(meta.get("to", "")).lower() == address
    )


def count_rounds(address: str) -> int:
    """How many rounds of a loop with `address` happened today (see the module docstring)."""
    rounds = 0
    answered: tuple[datetime, str] | None = None  # our last automatic message: (time, subject)
    for direction, subject, started_at, meta in _recent(address):
        if _ours_to(meta, direction, address):
            answered = (started_at, subject_key(subject))
        elif (
            direction == Interaction.Direction.INBOUND
            and str(meta.get("from", "")).lower() == address
            and answered is not None
        ):
            at, key = answered
            if started_at - at <= RAPID and _similar(subject_key(subject), key):
                rounds += 1
            answered = None
    return rounds


def _similar(one: str, other: str) -> bool:
    return bool(one) and (one in other or other in one)


def may_answer(address: str) -> bool:
    """Whether an automatic message may go to `address` (lower case) today: under the daily
    cap and not in a loop. A loop found now is logged and the administrators alerted once."""
    rows = _recent(address)
    if sum(1 for d, _s, _t, meta in rows if _ours_to(meta, d, address)) >= DAILY_LIMIT:
        return False
    rounds = count_rounds(address)
    if rounds < LOOP_ROUNDS:
        return True
    logger.warning("Mail loop with %s: automatic answers stopped for today", address)
    # One alert per address a day, whichever process finds the loop (the cache is shared).
    if cache.add(f"opiekun.email.loop:{address}", True, timeout=int(_DAY.total_seconds())):
        alert_admins(address, rounds=rounds)
    return False


def alert_admins(address: str, *, rounds: int) -> int:
    """Email every active admin about a mail loop with `address`; returns how many."""
    admins = (
        User.objects.filter(Q(role=User.Role.ADMIN) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .annotate(address=Lower("email"))
        .exclude(address=address)  # never into the loop itself
    )
    context = {"address": address, "rounds": rounds, "url": f"{settings.SITE_URL}/"}
    sent = 0
    for admin in admins:
        send_email("mail_loop", to=admin.email, language=admin.language, context=context)
        sent += 1
    return sent
