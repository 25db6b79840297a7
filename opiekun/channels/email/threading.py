"""Which case an incoming message belongs to, and whether its sender may join it.

A message names a case by, strongest first:
1. In-Reply-To / References naming a message on the case: our own Message-IDs carry an HMAC
   signature (``<opiekun.2026-000123.45.1a2b3c4d.<signature>@domain>``, `message_id_for`),
   every Message-ID on the case is stored in Interaction.external_id;
2. a per-case reply address ``local+2026-000123-<signature>@domain`` (see `reply_address_for`;
   outbound puts it in Reply-To);
3. weak, guessable names: an old unsigned id of our form (``<opiekun.2026-000123.45.…@…>``)
   that no interaction holds, and the case number in the subject, ``[#2026-000123]``.

Nothing in a header proves who sent it, so a name alone never puts a message on a case: the
sender must also be a participant of the case (`is_participant`: its customer, or an address
that wrote to it or was written to on it). `find_thread` reports what the message names and
whether the sender may join; `together.py` decides what happens (docs/email.md, "How
threading decides"). Reply-To is never consulted: it says where answers go, not who wrote.
"""

import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from hashlib import sha256

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from opiekun.cases.models import Case, Channel, Interaction
from opiekun.channels.email.parsing import CASE_TAG, ParsedMessage
from opiekun.customers.models import Customer

_SALT = "opiekun.email.reply"
_SIGNATURE_LENGTH = 12
_MESSAGE_ID_SALT = b"opiekun.email.message-id"
_MESSAGE_ID_SIGNATURE_LENGTH = 16
# <opiekun.NUMBER.PK.RANDOM[.SIGNATURE]@domain>: old ids (before signatures) have no fourth part.
_OUR_MESSAGE_ID = re.compile(
    r"^<opiekun\.(\d{4}-\d{6,10})\.(\d{1,18})\.([0-9a-f]{8})(?:\.([0-9a-f]{1,64}))?@[^<>\s@]+>$",
    re.IGNORECASE,
)
_REPLY_ADDRESS = re.compile(r"^[^@+]+\+(\d{4}-\d{6,10})-([0-9a-f]{12})@", re.IGNORECASE)

# How a message names its case (`Thread.how`).
SIGNED_ID = "signed_id"  # one of our signed Message-IDs
KNOWN_ID = "known_id"  # a Message-ID stored on the case
REPLY_ADDRESS = "reply_address"  # the case's signed reply address
LEGACY_ID = "legacy_id"  # an unsigned id of our form, known by its case number only
SUBJECT_TAG = "subject_tag"  # [#number] in the subject
STRONG = frozenset({SIGNED_ID, KNOWN_ID, REPLY_ADDRESS})


def _signature(number: str) -> str:
    # Lower-case hex, because some mail servers lower-case the local part of an address.
    raw = signing.Signer(salt=_SALT, algorithm="sha256").signature(number)
    return signing.b64_decode(raw.encode()).hex()[:_SIGNATURE_LENGTH]


def message_id_signature(number: str, pk: int | str, nonce: str) -> str:
    """The HMAC-SHA256 (key derived from SECRET_KEY) that makes a Message-ID ours."""
    key = sha256(_MESSAGE_ID_SALT + settings.SECRET_KEY.encode()).digest()
    text = f"{number}.{pk}.{nonce.lower()}".encode()
    return hmac.new(key, text, sha256).hexdigest()[:_MESSAGE_ID_SIGNATURE_LENGTH]


def signed_message_id(number: str, pk: int, nonce: str, domain: str) -> str:
    """``<opiekun.NUMBER.PK.NONCE.SIGNATURE@domain>`` (outbound `message_id_for` uses it)."""
    signature = message_id_signature(number, pk, nonce)
    return f"<opiekun.{number}.{pk}.{nonce}.{signature}@{domain}>"


@dataclass(frozen=True)
class OurId:
    number: str
    signed: bool  # False: an old unsigned id, or one whose signature is wrong (`forged`)
    forged: bool = False


def read_our_message_id(message_id: str) -> OurId | None:
    """What one of our Message-IDs says, or None for anyone else's."""
    match = _OUR_MESSAGE_ID.match(message_id.strip())
    if match is None:
        return None
    number, pk, nonce, signature = match.groups()
    if signature is None:
        return OurId(number, signed=False)
    expected = message_id_signature(number, pk, nonce)
    if constant_time_compare(signature.lower(), expected):
        return OurId(number, signed=True)
    return OurId(number, signed=False, forged=True)


def _base_address(case: Case) -> str:
    for candidate in (case.team.email, settings.DEFAULT_FROM_EMAIL):
        addr = parseaddr(candidate or "")[1]
        if "@" in addr:
            return addr
    return ""


def reply_address_for(case: Case) -> str:
    """The per-case reply address, e.g. ``support+2026-000123-3f9a0c1d2e4b@example.com``.

    Built on the team's address (or DEFAULT_FROM_EMAIL), so replies reach the same mailbox
    by sub-addressing; "" when there is no address to build on.
    """
    base = _base_address(case)
    if not base:
        return ""
    local, _at, domain = base.rpartition("@")
    local = local.split("+", 1)[0]
    return f"{local}+{case.number}-{_signature(case.number)}@{domain}"


def number_from_reply_address(address: str) -> str:
    """The case number a signed reply address names, or "" if it is not one of ours."""
    match = _REPLY_ADDRESS.match(address.strip().lower())
    if not match:
        return ""
    number, signature = match.groups()
    return number if constant_time_compare(signature, _signature(number)) else ""


def _follow_merges(case: Case | None) -> Case | None:
    seen = set()
    while case is not None and case.merged_into_id is not None and case.pk not in seen:
        seen.add(case.pk)
        case = Case.objects.select_related("team", "customer").get(pk=case.merged_into_id)
    return case


def case_numbered(number: str) -> Case | None:
    """The case with that number, or the one it was merged into."""
    return _follow_merges(
        Case.objects.select_related("team", "customer").filter(number=number).first()
    )


@dataclass(frozen=True)
class Thread:
    """The existing case a message names, how, and whether its sender may join it."""

    case: Case | None = None
    how: str = ""
    participant: bool = False
    forged: bool = False  # it named one of our ids with a wrong signature

    @property
    def strong(self) -> bool:
        return self.how in STRONG


def case_by_message_ids(message_ids: list[str]) -> tuple[Case | None, str, bool]:
    """(case, how, forged): the case of the most recent message among `message_ids` we know
    (an indexed lookup of Interaction.external_id), else of one of our signed ids, else of an
    old unsigned id of our form (weak: known by its case number only)."""
    if not message_ids:
        return None, "", False
    ours = {mid: read_our_message_id(mid) for mid in message_ids}
    forged_ids = {mid for mid, our in ours.items() if our is not None and our.forged}
    forged = bool(forged_ids)
    # A forged id is no name at all, even when an interaction holds that string.
    lookup = [mid for mid in message_ids if mid not in forged_ids]
    found = (
        Interaction.objects.filter(external_id__in=lookup)
        .select_related("case", "case__team", "case__customer")
        .order_by("-started_at", "-id")
        .first()
        if lookup
        else None
    )
    if found is not None:
        signed = (our := ours.get(found.external_id)) is not None and our.signed
        return _follow_merges(found.case), SIGNED_ID if signed else KNOWN_ID, forged
    for how, wanted in ((SIGNED_ID, True), (LEGACY_ID, False)):
        for our in ours.values():
            if our is not None and not our.forged and our.signed is wanted:
                case = case_numbered(our.number)
                if case is not None:
                    return case, how, forged
    return None, "", forged


def is_participant(case: Case, *, customer: Customer | None, address: str) -> bool:
    """Whether the sender takes part in the case: its customer, or an address that wrote to
    it, was copied on it or was written to from it. One query on the case's interactions
    (the `interaction_case` index), only when a message names a case."""
    if customer is not None and customer.pk == case.customer_id:
        return True
    address = address.lower()
    if not address:
        return False
    metas = Interaction.objects.filter(case_id=case.pk, channel=Channel.EMAIL).values_list(
        "meta", flat=True
    )
    return any(address in _meta_addresses(meta) for meta in metas)


def _meta_addresses(meta: object) -> Iterable[str]:
    if not isinstance(meta, dict):
        return ()
    found = []
    for key in ("from", "to", "cc"):
        value = meta.get(key)
        values = value if isinstance(value, list) else [value]
        found += [item.lower() for item in values if isinstance(item, str)]
    return found


def find_thread(parsed: ParsedMessage, *, customer: Customer | None, address: str) -> Thread:
    """The existing case `parsed` names (closed ones too: the caller decides), how it names
    it, and whether the sender (`address` from From, and its `customer`) is a participant."""
    case, how, forged = case_by_message_ids(
        list(dict.fromkeys(parsed.in_reply_to + parsed.references))
    )
    if case is None:
        for recipient in parsed.to + parsed.cc + parsed.delivered_to:
            number = number_from_reply_address(recipient)
            if number and (case := case_numbered(number)) is not None:
                how = REPLY_ADDRESS
                break
    if case is None and customer is not None:
        match = CASE_TAG.search(parsed.subject)
        if match and (case := case_numbered(match.group(1))) is not None:
            how = SUBJECT_TAG
    if case is None:
        return Thread(forged=forged)
    if how == SUBJECT_TAG:
        # A number in a subject is public; only the case's own customer joins by it.
        participant = customer is not None and case.customer_id == customer.pk
    else:
        participant = is_participant(case, customer=customer, address=address)
    return Thread(case, how, participant, forged)
