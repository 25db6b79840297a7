"""Changing customers: finding or creating them by identity, their identities and known facts,
and merging duplicates."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import User
from opiekun.cases.models import Case, Event, Interaction
from opiekun.cases.services import record_event
from opiekun.core.languages import Language
from opiekun.customers.models import Customer, Identity, KnownFact, Organisation


class InvalidIdentity(ValueError):
    pass


class IdentityTaken(ValueError):
    """The email address or phone number already belongs to a customer."""

    def __init__(self, message: str, *, owner: Customer, kind: str) -> None:
        super().__init__(message)
        self.owner = owner
        self.kind = kind


class MergeRefused(ValueError):
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
) -> Customer:
    """Return the customer who owns this email or phone, creating one (and its identities)
    if nobody does. A merged customer resolves to the record it was merged into."""
    identities = []
    if email:
        identities.append((Identity.Kind.EMAIL, normalise_email(email)))
    if phone:
        identities.append((Identity.Kind.PHONE, normalise_phone(phone)))
    if not identities:
        raise InvalidIdentity(_("A customer needs an email address or a phone number."))
    # Validated above, so nothing below raises for the caller to catch: no savepoint needed.
    with transaction.atomic(savepoint=False):
        for kind, value in identities:
            found = (
                Identity.objects.select_related("customer")
                .filter(kind=kind, value=value)
                .order_by()
                .first()
            )
            if found:
                return _owner(found.customer, name=name, identities=identities, found=(kind, value))
        customer = Customer.objects.create(name=name, language=language, organisation=organisation)
        for index, (kind, value) in enumerate(identities):
            Identity.objects.create(
                customer=customer, kind=kind, value=value, is_primary=index == 0
            )
        return customer


@dataclass(frozen=True)
class NewCustomer:
    """A customer to create with `create_customers`."""

    name: str
    language: str = Language.POLISH
    email: str = ""  # normalised (`normalise_email`) and owned by nobody yet


def create_customers(new: Sequence[NewCustomer]) -> list[Customer]:
    """Create customers with their email addresses, one statement per table, for a channel
    that receives many at once (email). An address someone already owns is refused by the
    database (IntegrityError): look them up first."""
    customers = Customer.objects.bulk_create(
        Customer(name=spec.name.strip(), language=spec.language) for spec in new
    )
    Identity.objects.bulk_create(
        Identity(customer=customer, kind=Identity.Kind.EMAIL, value=spec.email, is_primary=True)
        for customer, spec in zip(customers, new, strict=True)
        if spec.email
    )
    return customers


def _owner(
    customer: Customer, *, name: str, identities: Sequence[tuple[str, str]], found: tuple[str, str]
) -> Customer:
    """The customer an identity found belongs to, given the name and identities not yet known."""
    while customer.merged_into_id is not None:
        customer = Customer.objects.get(pk=customer.merged_into_id)
    if not customer.name and name:
        customer.name = name
        customer.save(update_fields=["name", "updated_at"])
    for kind, value in identities:
        if (kind, value) != found:
            Identity.objects.get_or_create(kind=kind, value=value, defaults={"customer": customer})
    return customer


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
def add_identity(customer: Customer, *, kind: str, value: str) -> Identity:
    """Give the customer another email address or phone number, normalised.

    Raises InvalidIdentity for a value that is not one, and IdentityTaken (naming the owner)
    for one that already belongs to a customer. The customer's first of a kind is primary.
    """
    value = normalise_identity(kind, value)
    existing = Identity.objects.select_related("customer").filter(kind=kind, value=value).first()
    if existing is not None:
        raise IdentityTaken(
            _taken_message(kind, value, owner=existing.customer, customer=customer),
            owner=existing.customer,
            kind=kind,
        )
    has_primary = customer.identities.filter(kind=kind, is_primary=True).exists()
    return Identity.objects.create(
        customer=customer, kind=kind, value=value, is_primary=not has_primary
    )


@transaction.atomic
def remove_identity(identity: Identity) -> None:
    """Remove an address or number; the next one of its kind becomes primary."""
    customer, kind, was_primary = identity.customer, identity.kind, identity.is_primary
    identity.delete()
    if was_primary:
        successor = customer.identities.filter(kind=kind).order_by("id").first()
        if successor is not None:
            successor.is_primary = True
            successor.save(update_fields=["is_primary"])


@transaction.atomic
def create_customer(
    *,
    name: str,
    language: str = Language.POLISH,
    organisation_name: str = "",
    notes: str = "",
    email: str = "",
    phone: str = "",
) -> Customer:
    """A new customer with the given email and phone (both optional).

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
    for kind, value in identities:
        Identity.objects.create(customer=customer, kind=kind, value=value, is_primary=True)
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

    Identities, known facts, cases and interactions move to `into`; every moved case notes
    the change on its timeline. Blank name, organisation and notes of `into` are filled from
    `source`; notes of both are kept. Customers merged into `source` earlier now point at
    `into`. Raises MergeRefused, changing nothing, for a merge into itself, into a merged
    record, or of a record already merged.
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
    Interaction.objects.filter(customer=source).update(customer=into)
    for case in Case.objects.filter(customer=source).order_by("id"):
        case.customer = into
        case.save(update_fields=["customer"])
        record_event(
            case,
            kind=Event.Kind.CUSTOMER,
            by=by,
            before=str(source),
            after=str(into),
            before_id=source.pk,
            after_id=into.pk,
        )
    Customer.objects.filter(merged_into=source).update(merged_into=into)

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
