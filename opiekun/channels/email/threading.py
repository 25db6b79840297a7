"""Which case an incoming message belongs to.

A reply joins its case by, in order:
1. In-Reply-To / References naming a message on the case (our own Message-IDs look like
   ``<opiekun.2026-000123.45.1a2b3c4d@domain>`` and are stored in Interaction.external_id;
   the customer's earlier messages are stored there too);
2. a per-case reply address ``local+2026-000123-<signature>@domain`` (see `reply_address_for`;
   outbound puts it in Reply-To);
3. the case number in the subject, ``[#2026-000123]``, when the sender is that case's customer.

A closed case is never reopened by mail: the message opens a new case instead.
"""

import re
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

from opiekun.cases.models import Case, Interaction
from opiekun.channels.email.parsing import ParsedMessage
from opiekun.customers.models import Customer

_SALT = "opiekun.email.reply"
_SIGNATURE_LENGTH = 12
_OUR_MESSAGE_ID = re.compile(r"^<opiekun\.(\d{4}-\d{6,10})\.")
_REPLY_ADDRESS = re.compile(r"^[^@+]+\+(\d{4}-\d{6,10})-([0-9a-f]{12})@", re.IGNORECASE)
_SUBJECT_TAG = re.compile(r"\[#(\d{4}-\d{6,10})\]")


def _signature(number: str) -> str:
    # Lower-case hex, because some mail servers lower-case the local part of an address.
    raw = signing.Signer(salt=_SALT, algorithm="sha256").signature(number)
    return signing.b64_decode(raw.encode()).hex()[:_SIGNATURE_LENGTH]


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


def case_by_message_ids(message_ids: list[str]) -> Case | None:
    """The case of the most recent message among `message_ids` we know."""
    if not message_ids:
        return None
    found = (
        Interaction.objects.filter(external_id__in=message_ids)
        .select_related("case", "case__team", "case__customer")
        .order_by("-started_at", "-id")
        .first()
    )
    if found is not None:
        return _follow_merges(found.case)
    numbers = [m.group(1) for mid in message_ids if (m := _OUR_MESSAGE_ID.match(mid))]
    if numbers:
        case = Case.objects.select_related("team", "customer").filter(number__in=numbers).first()
        return _follow_merges(case)
    return None


def find_case(parsed: ParsedMessage, *, customer: Customer | None) -> Case | None:
    """The open or resolved case this message continues, or None for a new case."""
    case = case_by_message_ids(list(dict.fromkeys(parsed.in_reply_to + parsed.references)))
    if case is None:
        for address in parsed.to + parsed.cc + parsed.delivered_to:
            number = number_from_reply_address(address)
            if number:
                case = _follow_merges(
                    Case.objects.select_related("team", "customer").filter(number=number).first()
                )
                if case is not None:
                    break
    if case is None and customer is not None:
        match = _SUBJECT_TAG.search(parsed.subject)
        if match:
            case = _follow_merges(
                Case.objects.select_related("team", "customer")
                .filter(number=match.group(1))
                .first()
            )
            if case is not None and case.customer_id != customer.pk:
                case = None
    if case is not None and case.status == Case.Status.CLOSED:
        return None
    return case
