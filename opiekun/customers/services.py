"""Changing customers: finding or creating them by identity, their identities and known facts,
and merging duplicates."""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import User
from opiekun.core.errors import Refused
from opiekun.core.languages import Language
from opiekun.core.plugins import plugged
from opiekun.customers.models import Customer, Identity, KnownFact, Organisation, PossibleMatch

logger = logging.getLogger(__name__)


class InvalidIdentity(Refused):
    pass


class IdentityTaken(Refused):
    """The email address or phone number already belongs to a customer."""

    def __init__(self, message: str, *, owner: Customer, kind: str) -> None:
        super().__init__(message)
        self.owner = owner
        self.kind = kind


class MergeRefused(Refused):
    pass


MAX_EMAIL_LENGTH = 254  # RFC 5321 path limit; Identity.value holds this much.

# What people type around a phone number: spaces, dashes, dots, slashes, brackets, a leading
# plus. Anything else (letters, "ext.") is refused rather than guessed at.
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()./\-\u00a0]+$")


def normalise_email(value: str) -> str:
    """The address in lower case (mailboxes are matched case-insensitively); refuses anything
    that is not one address."""
    value = value.strip().lower().removeprefix("mailto:").strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1].strip()
    try:
        if len(value) > MAX_EMAIL_LENGTH:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        raise InvalidIdentity(
            _("“%(value)s” is not an email address.") % {"value": value}
        ) from None
    return value


def normalise_phone(value: str, *, region: str = "PL") -> str:
    """Return the number in E.164 (+48600100200); national numbers are read in `region`.

    "600 100 200", "+48 (22) 123-45-67", "0048 600 100 200" and "+372 5123 4567" are all
    understood. The result normalises to itself.
    """
    stripped = value.strip()
    refused = InvalidIdentity(_("“%(value)s” is not a phone number.") % {"value": stripped})
    if not _PHONE_CHARACTERS.match(stripped):
        raise refused
    try:
        number = phonenumbers.parse(stripped, region)
    except phonenumbers.NumberParseException:
        raise refused from None
    if not phonenumbers.is_valid_number(number):
        raise refused
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_identity(kind: str, value: str) -> str:
    if kind == Identity.Kind.EMAIL:
        return normalise_email(value)
    return normalise_phone(value)


def find_organisation(name: str) -> Organisation | None:
    """The organisation with this name (any letter case), created if new; None for no name."""
    name = " ".join(name.split())
    if not name:
        return None
    existing = Organisation.objects.filter(name__iexact=name).order_by("id").first()
    return existing or Organisation.objects.create(name=name)


def find_or_create_customer(
    *,
    email: str = "",
    phone: str = "",
    name: str = "",
    language: str = Language.POLISH,
    organisation: Organisation | None = None,
    proof: str = Identity.Proof.GIVEN,
    channel: str = "",
    by: User | None = None,
    reason: str = "",
) -> Customer:
    """The customer a contact comes from, by the email and phone it names.

    `proof` says how the contact establishes them: CONTACT when the channel itself shows the
    sender (the address mail came from, the number that called), GIVEN when someone typed
    them, AGENT when an agent took them from the customer in person (`by`, `reason`). Whoever
    types may lie, so an identity is never joined to an existing customer
    because it was named beside one of theirs: a contact naming an unknown identity beside a
    known one gets a new customer, flagged as a possible match for an agent to decide. So does
    a contact from a number or address that a customer holds only as given or unproven while
    holding others too: it moves to a new customer, since it may never have been theirs.
    A merged customer resolves to the record it was merged into.
    """
    claims: list[tuple[str, str]] = []
    if email:
        claims.append((Identity.Kind.EMAIL, normalise_email(email)))
    if phone:
        claims.append((Identity.Kind.PHONE, normalise_phone(phone)))
    if not claims:
        raise InvalidIdentity(_("A customer needs an email address or a phone number."))
    # Validated above, so nothing below raises for the caller to catch: no savepoint needed.
    with transaction.atomic(savepoint=False):
        found = {
            (identity.kind, identity.value): identity
            for identity in Identity.objects.select_related("customer").filter(_any_of(claims))
        }
        if proof == Identity.Proof.CONTACT:
            for claim in claims:
                identity = found.get(claim)
                if identity is not None and _weak_among_others(identity):
                    return _move_to_new_customer(
                        identity, name=name, language=language, channel=channel, proof=proof
                    )
        owners = {claim: current_record(identity.customer) for claim, identity in found.items()}
        unknown = [claim for claim in claims if claim not in found]
        if unknown:
            # Nobody holds them: a customer of their own, flagged beside every known owner.
            customer = _new_customer(
                unknown,
                name=name,
                language=language,
                organisation=organisation,
                proof=proof,
                channel=channel,
                by=by,
                reason=reason,
            )
            for claim, owner in owners.items():
                _note_possible_match(
                    customer, owner, claim, why=PossibleMatch.Why.GIVEN_BESIDE, channel=channel
                )
            return customer
        # Every identity is held: the case goes to whoever holds the first (the address the
        # answer goes to), and any other holder is flagged.
        customer = owners[claims[0]]
        for claim, owner in owners.items():
            if owner.pk != customer.pk:
                _note_possible_match(
                    customer, owner, claim, why=PossibleMatch.Why.GIVEN_BESIDE, channel=channel
                )
        if proof == Identity.Proof.CONTACT:
            _strengthen([found[claim] for claim in claims], proof=proof)
        if not customer.name and name:
            customer.name = name
            customer.save(update_fields=["name", "updated_at"])
        return customer


WEAK_PROOFS = frozenset({Identity.Proof.GIVEN, Identity.Proof.UNPROVEN})


def _any_of(claims: Sequence[tuple[str, str]]) -> Q:
    query = Q()
    for kind, value in claims:
        query |= Q(kind=kind, value=value)
    return query


def current_record(customer: Customer) -> Customer:
    """The record a customer was merged into, or the customer itself."""
    while customer.merged_into_id is not None:
        customer = Customer.objects.get(pk=customer.merged_into_id)
    return customer


def _weak_among_others(identity: Identity) -> bool:
    """A given or unproven identity on a customer who holds others: whoever typed it beside
    them may have typed a stranger's."""
    return (
        identity.proof in WEAK_PROOFS
        and Identity.objects.filter(customer_id=identity.customer_id)
        .exclude(pk=identity.pk)
        .exists()
    )


def _strengthen(identities: Sequence[Identity], *, proof: str) -> None:
    """A contact from an identity proves it: a given one becomes `proof`."""
    weak = [identity.pk for identity in identities if identity.proof in WEAK_PROOFS]
    if weak:
        Identity.objects.filter(pk__in=weak).update(proof=proof, proven_at=timezone.now())


def _new_customer(
    claims: Sequence[tuple[str, str]],
    *,
    name: str,
    language: str,
    organisation: Organisation | None,
    proof: str,
    channel: str,
    by: User | None = None,
    reason: str = "",
) -> Customer:
    customer = Customer.objects.create(name=name, language=language, organisation=organisation)
    Identity.objects.bulk_create(
        Identity(
            customer=customer,
            kind=kind,
            value=value,
            is_primary=True,
            proof=proof,
            channel=channel,
            proven_by=by,
            reason=reason,
        )
        for kind, value in claims
    )
    return customer


def _note_possible_match(
    customer: Customer, candidate: Customer, claim: tuple[str, str], *, why: str, channel: str
) -> PossibleMatch:
    kind, value = claim
    match, _created = PossibleMatch.objects.get_or_create(
        customer=customer,
        candidate=candidate,
        decision=PossibleMatch.Decision.OPEN,
        defaults={"kind": kind, "value": value, "why": why, "channel": channel},
    )
    return match


def _move_to_new_customer(
    identity: Identity, *, name: str, language: str, channel: str, proof: str | None
) -> Customer:
    """Give a weakly held identity a customer of its own, flagged as a possible match of the
    one it leaves; the portal sessions of both end."""
    previous = identity.customer
    customer = Customer.objects.create(name=name, language=language)
    identity.customer = customer
    identity.is_primary = True
    if proof is not None:
        identity.proof = proof
        identity.proven_at = timezone.now()
        identity.channel = channel or identity.channel
    identity.save(update_fields=["customer", "is_primary", "proof", "proven_at", "channel"])
    _promote_next_primary(previous, identity.kind)
    identities_changed(previous, customer)
    _note_possible_match(
        customer,
        current_record(previous),
        (identity.kind, identity.value),
        why=PossibleMatch.Why.MOVED,
        channel=channel,
    )
    return customer


def identities_changed(*customers: Customer) -> None:
    """Note that these customers' identities changed, which ends their portal sessions."""
    Customer.objects.filter(pk__in=[customer.pk for customer in customers]).update(
        identity_version=F("identity_version") + 1
    )


def _promote_next_primary(customer: Customer, kind: str) -> None:
    if not customer.identities.filter(kind=kind, is_primary=True).exists():
        successor = customer.identities.filter(kind=kind).order_by("id").first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])


@dataclass(frozen=True)
class NewCustomer:
    """A customer to create with `create_customers`."""

    name: str
    language: str = Language.POLISH
    email: str = ""  # normalised (`normalise_email`) and owned by nobody yet
    channel: str = ""  # the channel the address wrote to us by, which proves it


def create_customers(new: Sequence[NewCustomer]) -> list[Customer]:
    """Create customers with their email addresses, one statement per table, for a channel
    that receives many at once (email). An address someone already owns is refused by the
    database (IntegrityError): look them up first."""
    customers = Customer.objects.bulk_create(
        Customer(name=spec.name.strip(), language=spec.language) for spec in new
    )
    Identity.objects.bulk_create(
        Identity(
            customer=customer,
            kind=Identity.Kind.EMAIL,
            value=spec.email,
            is_primary=True,
            proof=Identity.Proof.CONTACT,
            channel=spec.channel,
        )
        for customer, spec in zip(customers, new, strict=True)
        if spec.email
    )
    return customers


def _taken_message(kind: str, value: str, *, owner: Customer, customer: Customer | None) -> str:
    if customer is not None and owner.pk == customer.pk:
        if kind == Identity.Kind.EMAIL:
            return _("%(value)s is already one of this customer's email addresses.") % {
                "value": value
            }
        return _("%(value)s is already one of this customer's phone numbers.") % {"value": value}
    if kind == Identity.Kind.EMAIL:
        return _("The email address %(value)s already belongs to %(customer)s.") % {
            "value": value,
            "customer": owner,
        }
    return _("The phone number %(value)s already belongs to %(customer)s.") % {
        "value": value,
        "customer": owner,
    }


@transaction.atomic
def add_identity(customer: Customer, *, kind: str, value: str, by: User, reason: str) -> Identity:
    """Give the customer another email address or phone number, normalised, as an agent who
    checked it is theirs; who and why are kept with it, and the customer's portal sessions end.

    Raises InvalidIdentity for a value that is not one (or a blank reason), and IdentityTaken
    (naming the owner) for one that already belongs to a customer. The customer's first of a
    kind is primary.
    """
    value = normalise_identity(kind, value)
    reason = reason.strip()
    if not reason:
        raise InvalidIdentity(_("Say how you checked that it is the customer's."))
    existing = Identity.objects.select_related("customer").filter(kind=kind, value=value).first()
    if existing is not None:
        raise IdentityTaken(
            _taken_message(kind, value, owner=existing.customer, customer=customer),
            owner=existing.customer,
            kind=kind,
        )
    has_primary = customer.identities.filter(kind=kind, is_primary=True).exists()
    identity = Identity.objects.create(
        customer=customer,
        kind=kind,
        value=value,
        is_primary=not has_primary,
        proof=Identity.Proof.AGENT,
        proven_by=by,
        reason=reason[:300],
    )
    identities_changed(customer)
    logger.info("Identity %s added to customer %s by user %s", identity.pk, customer.pk, by.pk)
    return identity


@transaction.atomic
def remove_identity(identity: Identity) -> None:
    """Remove an address or number; the next one of its kind becomes primary."""
    customer = identity.customer
    identity.delete()
    _promote_next_primary(customer, identity.kind)
    identities_changed(customer)


@transaction.atomic
def confirm_identity(identity: Identity, *, by: User, reason: str) -> Identity:
    """An agent checked that an identity is the customer's: it is proven from now on."""
    reason = reason.strip()
    if not reason:
        raise InvalidIdentity(_("Say how you checked that it is the customer's."))
    identity.proof = Identity.Proof.AGENT
    identity.proven_at = timezone.now()
    identity.proven_by = by
    identity.reason = reason[:300]
    identity.save(update_fields=["proof", "proven_at", "proven_by", "reason"])
    logger.info("Identity %s confirmed by user %s", identity.pk, by.pk)
    return identity


@transaction.atomic
def detach_identity(identity: Identity, *, by: User) -> Customer:
    """Move an identity that may not be the customer's to a new customer of its own, flagged as
    a possible match, so neither sees the other's cases until an agent decides."""
    customer = identity.customer
    moved = _move_to_new_customer(
        identity, name="", language=customer.language, channel=identity.channel, proof=None
    )
    logger.info("Identity %s moved off customer %s by user %s", identity.pk, customer.pk, by.pk)
    return moved


@transaction.atomic
def dismiss_possible_match(match: PossibleMatch, *, by: User) -> PossibleMatch:
    """An agent decided the two records are different customers."""
    match.decision = PossibleMatch.Decision.DISMISSED
    match.decided_at = timezone.now()
    match.decided_by = by
    match.save(update_fields=["decision", "decided_at", "decided_by"])
    return match


@transaction.atomic
def create_customer(
    *,
    name: str,
    language: str = Language.POLISH,
    organisation_name: str = "",
    notes: str = "",
    email: str = "",
    phone: str = "",
    by: User | None = None,
) -> Customer:
    """A new customer with the given email and phone (both optional), entered by `by`.

    Raises InvalidIdentity or IdentityTaken, creating nothing, if either is refused.
    """
    identities = []
    if email:
        identities.append((Identity.Kind.EMAIL, normalise_email(email)))
    if phone:
        identities.append((Identity.Kind.PHONE, normalise_phone(phone)))
    for kind, value in identities:
        existing = Identity.objects.select_related("customer").filter(kind=kind, value=value)
        owner = existing.first()
        if owner is not None:
            raise IdentityTaken(
                _taken_message(kind, value, owner=owner.customer, customer=None),
                owner=owner.customer,
                kind=kind,
            )
    customer = Customer.objects.create(
        name=name.strip(),
        language=language,
        organisation=find_organisation(organisation_name),
        notes=notes,
    )
    Identity.objects.bulk_create(
        Identity(
            customer=customer,
            kind=kind,
            value=value,
            is_primary=True,
            proof=Identity.Proof.AGENT if by else Identity.Proof.GIVEN,
            proven_by=by,
            reason=_("Entered when the record was created") if by else "",
        )
        for kind, value in identities
    )
    return customer


def update_customer(
    customer: Customer, *, name: str, language: str, organisation_name: str, notes: str
) -> Customer:
    customer.name = name.strip()
    customer.language = language
    customer.organisation = find_organisation(organisation_name)
    customer.notes = notes
    customer.save(update_fields=["name", "language", "organisation", "notes", "updated_at"])
    return customer


def add_known_fact(
    customer: Customer,
    *,
    kind: str,
    value: str,
    label: str = "",
    source: str = "",
    source_case_id: int | None = None,
    source_interaction_id: int | None = None,
    by: User | None = None,
) -> KnownFact:
    """Remember something the customer told us, and where it came from."""
    return KnownFact.objects.create(
        customer=customer,
        kind=kind,
        value=value.strip(),
        label=label.strip(),
        source=source.strip(),
        source_case_id=source_case_id,
        source_interaction_id=source_interaction_id,
        created_by=by,
    )


def remove_known_fact(fact: KnownFact) -> None:
    fact.delete()


@transaction.atomic
def merge_customers(source: Customer, *, into: Customer, by: User | None) -> Customer:
    """Move everything of a duplicate customer onto the record that stays, and keep the
    duplicate as a pointer to it.

    Identities and known facts move to `into`; each app that holds customer rows (the
    "customer_rows" plug-in point: cases, calls, sign-in links) is asked to move its own, in
    this transaction and under the locks of both rows. Blank name, organisation and notes of
    `into` are filled from `source`; notes of both are kept. Customers merged into `source`
    earlier now point at `into`. Raises MergeRefused, changing nothing, for a merge into
    itself, into a merged record, or of a record already merged.
    """
    if source.pk == into.pk:
        raise MergeRefused(_("A customer cannot be merged into itself."))
    # Lock both rows, lower id first, so two merges of the same pair cannot interleave.
    locked = {
        customer.pk: customer
        for customer in Customer.objects.select_for_update()
        .filter(pk__in=[source.pk, into.pk])
        .order_by("pk")
    }
    source, into = locked[source.pk], locked[into.pk]
    if source.merged_into_id is not None:
        raise MergeRefused(
            _("%(source)s was already merged into another customer.") % {"source": source}
        )
    if into.merged_into_id is not None:
        raise MergeRefused(
            _("%(into)s was merged into another customer; merge into that one instead.")
            % {"into": into}
        )
    kinds_with_primary = set(into.identities.filter(is_primary=True).values_list("kind", flat=True))
    Identity.objects.filter(customer=source, kind__in=kinds_with_primary).update(is_primary=False)
    Identity.objects.filter(customer=source).update(customer=into)
    KnownFact.objects.filter(customer=source).update(customer=into)
    for move in plugged("customer_rows"):
        move(source, into=into, by=by)
    Customer.objects.filter(merged_into=source).update(merged_into=into)
    _settle_possible_matches(source, into=into, by=by)
    identities_changed(source, into)

    into.name = into.name or source.name
    into.organisation_id = into.organisation_id or source.organisation_id
    if source.notes.strip():
        into.notes = "\n\n".join(
            part for part in (into.notes.strip(), source.notes.strip()) if part
        )
    into.save(update_fields=["name", "organisation", "notes", "updated_at"])
    source.merged_into = into
    source.merged_at = timezone.now()
    source.merged_by = by
    source.save(update_fields=["merged_into", "merged_at", "merged_by", "updated_at"])
    return into


def _settle_possible_matches(source: Customer, *, into: Customer, by: User | None) -> None:
    """A merge decides the possible match between the two records; others of the record
    merged away now point at the one that stays."""
    pair = Q(customer=source, candidate=into) | Q(customer=into, candidate=source)
    PossibleMatch.objects.filter(pair, decision=PossibleMatch.Decision.OPEN).update(
        decision=PossibleMatch.Decision.MERGED, decided_at=timezone.now(), decided_by=by
    )
    PossibleMatch.objects.filter(customer=source).update(customer=into)
    PossibleMatch.objects.filter(candidate=source).update(candidate=into)
