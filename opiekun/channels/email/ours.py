"""Mail that claims to come from us: one of our own addresses, or a staff user's.

From is written by whoever sends the message, so such mail is neither trusted as ours nor
taken as a customer's: it gets no customer and no acknowledgement, and it goes on a case
only as an entry agents see (direction internal, `meta["sender_is"]`), never in the portal.
Mail an agent forwards (`inbound._sender`) is attributed to the original sender instead.
"""

from collections.abc import Iterable
from email.utils import parseaddr

from django.conf import settings
from django.db.models.functions import Lower

from opiekun.accounts.models import Team, User
from opiekun.channels.email.models import Mailbox
from opiekun.channels.email.threading import number_from_reply_address

OURS = "ours"  # a team's address, the default sender, a mailbox, a per-case reply address
STAFF = "staff"  # a staff user's address


def _addr(value: str) -> str:
    addr = parseaddr(value)[1].strip().lower()
    return addr if "@" in addr else ""


def our_addresses() -> set[str]:
    """Every address mail from us is sent from or received at, lower case. Teams and
    mailboxes are few: one query each, per chunk."""
    values = [
        settings.DEFAULT_FROM_EMAIL,
        getattr(settings, "SERVER_EMAIL", ""),
        *Team.objects.exclude(email="").values_list("email", flat=True),
        *Mailbox.objects.values_list("username", flat=True),
    ]
    return {addr for value in values if (addr := _addr(value or ""))}


def _base(address: str) -> str:
    local, _at, domain = address.rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def kind_of_sender(address: str, *, ours: set[str], staff: set[str]) -> str:
    """OURS, STAFF or "" for `address` (lower case), given the sets of our addresses and of
    staff addresses among the chunk's senders."""
    if not address:
        return ""
    if address in ours or _base(address) in ours or number_from_reply_address(address):
        return OURS
    if address in staff:
        return STAFF
    return ""


def staff_addresses(addresses: Iterable[str]) -> set[str]:
    """Which of `addresses` (lower case) belong to a staff user: one query per chunk."""
    wanted = {address for address in addresses if address}
    if not wanted:
        return set()
    return set(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=wanted)
        .values_list("address", flat=True)
    )
