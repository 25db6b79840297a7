"""Changing customers: finding or creating them by identity, facts, merging."""

import phonenumbers
from django.db import transaction
from django.utils.translation import gettext as _

from opiekun.core.languages import Language
from opiekun.customers.models import Customer, Identity, KnownFact, Organisation


class InvalidIdentity(ValueError):
    pass


def normalise_email(value: str) -> str:
    value = value.strip()
    if "@" not in value:
        raise InvalidIdentity(_("“%(value)s” is not an email address.") % {"value": value})
    local, _sep, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}".lower()


def normalise_phone(value: str, *, region: str = "PL") -> str:
    """Return the number in E.164 (+48600100200); national numbers are read in `region`."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise InvalidIdentity(_("“%(value)s” is not a phone number.") % {"value": value}) from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidIdentity(_("“%(value)s” is not a phone number.") % {"value": value})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_identity(kind: str, value: str) -> str:
    if kind == Identity.Kind.EMAIL:
        return normalise_email(value)
    return normalise_phone(value)


@transaction.atomic
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
    for kind, value in identities:
        found = Identity.objects.select_related("customer").filter(kind=kind, value=value).first()
        if found:
            customer = found.customer
            while customer.merged_into_id is not None:
                customer = Customer.objects.get(pk=customer.merged_into_id)
            if not customer.name and name:
                customer.name = name
                customer.save(update_fields=["name", "updated_at"])
            for other_kind, other_value in identities:
                Identity.objects.get_or_create(
                    kind=other_kind, value=other_value, defaults={"customer": customer}
                )
            return customer
    customer = Customer.objects.create(name=name, language=language, organisation=organisation)
    for index, (kind, value) in enumerate(identities):
        Identity.objects.create(customer=customer, kind=kind, value=value, is_primary=index == 0)
    return customer


def add_known_fact(
    customer: Customer,
    *,
    kind: str,
    value: str,
    label: str = "",
    source: str = "",
    source_case_id: int | None = None,
    by: object = None,
) -> KnownFact:
    return KnownFact.objects.create(
        customer=customer,
        kind=kind,
        value=value,
        label=label,
        source=source,
        source_case_id=source_case_id,
        created_by=by,
    )
