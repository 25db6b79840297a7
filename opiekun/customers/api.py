"""Customers over the JSON API: search, create, read, change, identities and known facts.

Customers are reached only through `visible_customers`, `find_customers` and
`access_customer`; messages come from `opiekun.api.errors`.
"""

from datetime import datetime
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from opiekun.accounts.models import User
from opiekun.api.auth import caller
from opiekun.api.errors import ErrorOut
from opiekun.cases.selectors import access_case
from opiekun.core.languages import Language
from opiekun.core.pagination import keyset_page
from opiekun.customers.models import Customer, Identity, KnownFact
from opiekun.customers.selectors import (
    access_customer,
    customer_facts,
    find_customers,
    for_list,
    visible_customers,
)
from opiekun.customers.services import (
    add_identity,
    add_known_fact,
    create_customer,
    update_customer,
)

router = Router()

ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}

# Several models have a `Kind`; spelled inline, the OpenAPI document keeps them apart.
IdentityKind = Annotated[
    Identity.Kind,
    WithJsonSchema({"type": "string", "enum": Identity.Kind.values, "title": "IdentityKind"}),
]
IdentityProof = Annotated[
    Identity.Proof,
    WithJsonSchema({"type": "string", "enum": Identity.Proof.values, "title": "IdentityProof"}),
]
FactKind = Annotated[
    KnownFact.Kind,
    WithJsonSchema({"type": "string", "enum": KnownFact.Kind.values, "title": "FactKind"}),
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


# Output


class OrganisationRef(Schema):
    id: int
    name: str


class IdentityOut(Schema):
    id: int
    kind: IdentityKind
    value: str
    is_primary: bool
    proof: IdentityProof = Field(description="How we know it is the customer's.")
    proven_at: datetime


class CustomerOut(Schema):
    id: int
    name: str
    language: Language
    notes: str
    organisation: OrganisationRef | None
    identities: list[IdentityOut]
    created_at: datetime
    updated_at: datetime


class CustomerListOut(Schema):
    items: list[CustomerOut]
    next_cursor: str | None
    previous_cursor: str | None


class FactOut(Schema):
    id: int
    kind: FactKind
    label: str
    value: str
    source: str
    source_case: str | None = Field(description="The number of the case it was learnt in.")
    created_at: datetime


class FactListOut(Schema):
    items: list[FactOut]


def identity_out(identity: Identity) -> IdentityOut:
    return IdentityOut(
        id=identity.pk,
        kind=Identity.Kind(identity.kind),
        value=identity.value,
        is_primary=identity.is_primary,
        proof=Identity.Proof(identity.proof),
        proven_at=identity.proven_at,
    )


def customer_out(customer: Customer) -> CustomerOut:
    organisation = customer.organisation
    return CustomerOut(
        id=customer.pk,
        name=customer.name,
        language=Language(customer.language),
        notes=customer.notes,
        organisation=(
            OrganisationRef(id=organisation.pk, name=organisation.name) if organisation else None
        ),
        identities=[identity_out(identity) for identity in customer.identities.all()],
        created_at=customer.created_at,
        updated_at=customer.updated_at,
    )


def fact_out(fact: KnownFact) -> FactOut:
    return FactOut(
        id=fact.pk,
        kind=KnownFact.Kind(fact.kind),
        label=fact.label,
        value=fact.value,
        source=fact.source,
        source_case=fact.source_case.number if fact.source_case else None,
        created_at=fact.created_at,
    )


def _detail(user: User, pk: int) -> Customer:
    """The customer with everything CustomerOut shows (a merged id gives the survivor)."""
    customer = access_customer(user, pk)
    return for_list(Customer.objects.filter(pk=customer.pk)).get()


# Input


class CustomerListQuery(Schema):
    q: str = Field("", description="A name, or an email address or phone number in any format.")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class CustomerIn(Schema):
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=64)
    language: Language = Language.POLISH
    organisation: str = Field("", max_length=200, description="Organisation name.")
    notes: str = ""


class CustomerPatchIn(Schema):
    name: str | None = Field(None, max_length=200)
    language: Language | None = None
    organisation: str | None = Field(
        None, max_length=200, description='Organisation name; "" for none.'
    )
    notes: str | None = None


class IdentityIn(Schema):
    kind: IdentityKind
    value: str = Field(min_length=1, max_length=254)
    reason: str = Field(
        "",
        max_length=300,
        description="How you checked that it is the customer's; kept with the identity. "
        "Empty: recorded as added through the API.",
    )


class FactIn(Schema):
    kind: FactKind = KnownFact.Kind.OTHER
    label: str = Field("", max_length=100)
    value: str = Field(min_length=1, max_length=500)
    source: str = Field("", max_length=200)
    source_case: str | None = Field(None, description="Number of the case it came from.")


# Endpoints


@router.get("", response={200: CustomerListOut, **ERRORS}, summary="Search customers")
def list_customers(request: HttpRequest, query: Query[CustomerListQuery]) -> CustomerListOut:
    user = caller(request)
    customers = find_customers(user, query.q) if query.q.strip() else visible_customers(user)
    page = keyset_page(
        for_list(customers), cursor=query.cursor, size=query.limit, order=("name", "id")
    )
    return CustomerListOut(
        items=[customer_out(customer) for customer in page.items],
        next_cursor=page.next_cursor,
        previous_cursor=page.previous_cursor,
    )


@router.post(
    "",
    response={201: CustomerOut, **ERRORS},
    summary="Create a customer",
    description="409 when the email address or phone number already belongs to a customer.",
)
def post_customer(request: HttpRequest, payload: CustomerIn) -> Status[CustomerOut]:
    user = caller(request)
    customer = create_customer(
        name=payload.name,
        language=payload.language,
        organisation_name=payload.organisation,
        notes=payload.notes,
        email=payload.email,
        phone=payload.phone,
        by=user,
    )
    return Status(201, customer_out(_detail(user, customer.pk)))


@router.get("/{customer_id}", response={200: CustomerOut, **ERRORS}, summary="Read a customer")
def get_customer(request: HttpRequest, customer_id: int) -> CustomerOut:
    return customer_out(_detail(caller(request), customer_id))


@router.patch("/{customer_id}", response={200: CustomerOut, **ERRORS}, summary="Change a customer")
def patch_customer(request: HttpRequest, customer_id: int, payload: CustomerPatchIn) -> CustomerOut:
    user = caller(request)
    customer = access_customer(user, customer_id)
    current_organisation = customer.organisation.name if customer.organisation else ""
    update_customer(
        customer,
        name=customer.name if payload.name is None else payload.name,
        language=customer.language if payload.language is None else payload.language,
        organisation_name=(
            current_organisation if payload.organisation is None else payload.organisation
        ),
        notes=customer.notes if payload.notes is None else payload.notes,
    )
    return customer_out(_detail(user, customer.pk))


@router.post(
    "/{customer_id}/identities",
    response={201: IdentityOut, **ERRORS},
    summary="Add an email address or phone number",
)
def create_identity(
    request: HttpRequest, customer_id: int, payload: IdentityIn
) -> Status[IdentityOut]:
    user = caller(request)
    customer = access_customer(user, customer_id)
    identity = add_identity(
        customer,
        kind=payload.kind,
        value=payload.value,
        by=user,
        reason=payload.reason.strip() or _("Added through the API"),
    )
    return Status(201, identity_out(identity))


@router.get("/{customer_id}/facts", response={200: FactListOut, **ERRORS}, summary="Known facts")
def list_facts(request: HttpRequest, customer_id: int) -> FactListOut:
    customer = access_customer(caller(request), customer_id)
    return FactListOut(items=[fact_out(fact) for fact in customer_facts(customer)])


@router.post("/{customer_id}/facts", response={201: FactOut, **ERRORS}, summary="Add a known fact")
def create_fact(request: HttpRequest, customer_id: int, payload: FactIn) -> Status[FactOut]:
    user = caller(request)
    customer = access_customer(user, customer_id)
    source_case = access_case(user, payload.source_case) if payload.source_case else None
    fact = add_known_fact(
        customer,
        kind=payload.kind,
        label=payload.label,
        value=payload.value,
        source=payload.source,
        source_case_id=source_case.pk if source_case else None,
        by=user,
    )
    return Status(201, fact_out(fact))
