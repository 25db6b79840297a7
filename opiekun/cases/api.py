"""Cases over the JSON API: list, open, read, change, and the interaction timeline.

Each endpoint reaches cases only through `visible_cases` and `access_case` and changes them
only through the services, like the HTML views; messages come from `opiekun.api.errors`.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema

from opiekun.accounts.models import Team, User
from opiekun.api.auth import caller
from opiekun.api.errors import ErrorOut, Message, invalid, refused
from opiekun.api.text import text_from_html
from opiekun.cases.filters import CaseFilters, filter_cases
from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.selectors import (
    access_case,
    assignable_agents,
    filter_teams,
    for_list,
    visible_cases,
)
from opiekun.cases.services import (
    Contact,
    CustomerMessage,
    add_note,
    add_reply,
    assign_case,
    bring_in,
    change_kind,
    change_priority,
    change_status,
    set_tags,
)
from opiekun.core.languages import Language
from opiekun.core.pagination import keyset_page
from opiekun.core.sanitise import sanitise_html
from opiekun.customers.models import Customer
from opiekun.customers.selectors import access_customer
from opiekun.customers.services import find_or_create_customer

router = Router()

ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}

# Several models have a `Kind`; spelled inline, the OpenAPI document keeps them apart.
CaseKind = Annotated[
    Case.Kind, WithJsonSchema({"type": "string", "enum": Case.Kind.values, "title": "CaseKind"})
]

DEFAULT_LIMIT = 50
MAX_LIMIT = 100


# Output


class TeamRef(Schema):
    id: int
    name: str


class UserRef(Schema):
    id: int
    username: str
    name: str


class CustomerRef(Schema):
    id: int
    name: str


class CaseOut(Schema):
    number: str
    subject: str
    status: Case.Status
    priority: Case.Priority
    kind: CaseKind
    channel: Channel
    language: Language
    team: TeamRef
    assignee: UserRef | None
    customer: CustomerRef
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None


class CaseListOut(Schema):
    items: list[CaseOut]
    next_cursor: str | None
    previous_cursor: str | None


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class InteractionOut(Schema):
    id: int
    channel: Channel
    direction: Interaction.Direction
    author: UserRef | None
    subject: str
    body_text: str
    body_html: str
    started_at: datetime
    ended_at: datetime | None
    handle_seconds: int | None
    delivery_status: str
    sent_at: datetime | None
    attachments: list[AttachmentOut]


class InteractionListOut(Schema):
    items: list[InteractionOut]
    next_cursor: str | None
    previous_cursor: str | None


def user_ref(user: User | None) -> UserRef | None:
    if user is None:
        return None
    return UserRef(id=user.pk, username=user.username, name=str(user))


def case_out(case: Case) -> CaseOut:
    return CaseOut(
        number=case.number,
        subject=case.subject,
        status=Case.Status(case.status),
        priority=Case.Priority(case.priority),
        kind=Case.Kind(case.kind),
        channel=Channel(case.channel),
        language=Language(case.language),
        team=TeamRef(id=case.team.pk, name=case.team.name),
        assignee=user_ref(case.assignee),
        customer=CustomerRef(id=case.customer.pk, name=str(case.customer)),
        tags=sorted(tag.name for tag in case.tags.all()),
        created_at=case.created_at,
        updated_at=case.updated_at,
        first_response_at=case.first_response_at,
        resolved_at=case.resolved_at,
        closed_at=case.closed_at,
    )


def interaction_out(interaction: Interaction) -> InteractionOut:
    return InteractionOut(
        id=interaction.pk,
        channel=Channel(interaction.channel),
        direction=Interaction.Direction(interaction.direction),
        author=user_ref(interaction.author),
        subject=interaction.subject,
        body_text=interaction.body_text,
        body_html=interaction.body_html,
        started_at=interaction.started_at,
        ended_at=interaction.ended_at,
        handle_seconds=interaction.handle_seconds,
        delivery_status=interaction.delivery_status,
        sent_at=interaction.sent_at,
        attachments=[
            AttachmentOut(
                id=attachment.pk,
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=attachment.size,
            )
            for attachment in interaction.attachments.all()
        ],
    )


# Input


class CaseListQuery(Schema):
    """The desk's filters (CaseFilters) as query parameters, and the page to show."""

    status: Case.Status | None = None
    priority: Case.Priority | None = None
    kind: CaseKind | None = None
    channel: Channel | None = None
    team: int | None = None
    assignee: int | Literal["none"] | None = Field(
        None, description='A user id, or "none" for unassigned cases.'
    )
    tag: str | None = None
    language: Language | None = None
    customer: int | None = None
    created_from: date | None = Field(None, description="First day, in the site time zone.")
    created_to: date | None = Field(None, description="Last day (inclusive).")
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)

    def filters(self) -> CaseFilters:
        return CaseFilters(
            status=self.status,
            priority=self.priority,
            kind=self.kind,
            channel=self.channel,
            team=self.team,
            assignee=self.assignee,
            tag=self.tag,
            language=self.language,
            customer=self.customer,
            created_from=self.created_from,
            created_to=self.created_to,
        )


class NewCustomerIn(Schema):
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=64)
    name: str = Field("", max_length=200)
    language: Language = Language.POLISH


class CaseIn(Schema):
    customer: int | NewCustomerIn = Field(
        description="A customer id, or an email/phone/name to find the customer by "
        "(created when nobody has that email or phone)."
    )
    team: int
    subject: str = Field(min_length=1, max_length=300)
    body_text: str = ""
    body_html: str = Field("", description="Sanitised before it is stored.")
    channel: Channel = Channel.API
    kind: CaseKind = Case.Kind.QUESTION
    priority: Case.Priority = Case.Priority.NORMAL
    language: Language | None = Field(None, description="Default: the customer's language.")


class CasePatchIn(Schema):
    status: Case.Status | None = None
    priority: Case.Priority | None = None
    kind: CaseKind | None = None
    assignee: int | None = Field(None, description="A user id; null to unassign.")
    tags: list[str] | None = Field(None, description="The complete new list of tag names.")


class InteractionIn(Schema):
    type: Literal["reply", "note", "inbound"] = Field(
        description="reply: an answer emailed to the customer; note: internal, never sent; "
        "inbound: a customer's message logged by an integration."
    )
    subject: str = Field("", max_length=300)
    body_text: str = ""
    body_html: str = ""


class InteractionListQuery(Schema):
    cursor: str | None = None
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


def message_bodies(body_text: str, body_html: str) -> tuple[str, str]:
    """(text, sanitised HTML); text is derived from the HTML when only HTML was given."""
    clean_html = sanitise_html(body_html) if body_html.strip() else ""
    text = body_text.strip() or text_from_html(clean_html)
    if not text:
        raise invalid(Message.EMPTY_BODY)
    return text, clean_html


# Endpoints


@router.get("", response={200: CaseListOut, **ERRORS}, summary="List cases")
def list_cases(request: HttpRequest, query: Query[CaseListQuery]) -> CaseListOut:
    cases = for_list(filter_cases(visible_cases(caller(request)), query.filters()))
    page = keyset_page(cases, cursor=query.cursor, size=query.limit)
    return CaseListOut(
        items=[case_out(case) for case in page.items],
        next_cursor=page.next_cursor,
        previous_cursor=page.previous_cursor,
    )


@router.post("", response={201: CaseOut, **ERRORS}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseIn) -> Status[CaseOut]:
    user = caller(request)
    body_text, body_html = message_bodies(payload.body_text, payload.body_html)
    team = filter_teams(user).filter(pk=payload.team).first()
    if team is None:
        if Team.objects.filter(pk=payload.team).exists():
            raise refused(Message.TEAM_NOT_YOURS)
        raise invalid(Message.NO_SUCH_TEAM)
    with transaction.atomic():
        customer = _customer_for(user, payload.customer)
        message = CustomerMessage(
            channel=payload.channel,
            subject=payload.subject,
            body_text=body_text,
            body_html=body_html,
            meta={"logged_by": user.pk},
        )
        contact = Contact(
            customer=customer,
            message=message,
            team=team,
            subject=payload.subject,
            kind=payload.kind,
            priority=payload.priority,
            language=payload.language,
            by=user,
        )
        case = bring_in([contact])[0].case
    return Status(201, case_out(access_case(user, case.number)))


def _customer_for(user: User, given: int | NewCustomerIn) -> Customer:
    """The customer by id, or found by what the client gives, which never joins an
    identity to someone else's record (see `find_or_create_customer`)."""
    if isinstance(given, int):
        return access_customer(user, given)
    if not given.email.strip() and not given.phone.strip():
        raise invalid(Message.CUSTOMER_NEEDS_IDENTITY)
    return find_or_create_customer(
        email=given.email,
        phone=given.phone,
        name=given.name,
        language=given.language,
        channel=Channel.API,
    )


@router.get("/{number}", response={200: CaseOut, **ERRORS}, summary="Read a case")
def get_case(request: HttpRequest, number: str) -> CaseOut:
    return case_out(access_case(caller(request), number))


@router.patch("/{number}", response={200: CaseOut, **ERRORS}, summary="Change a case")
def update_case(request: HttpRequest, number: str, payload: CasePatchIn) -> CaseOut:
    user = caller(request)
    given = payload.model_fields_set
    with transaction.atomic():
        # Lock the row so two clients changing the same case take turns.
        case = access_case(user, number, for_update=True)
        if "assignee" in given:
            assignee = None
            if payload.assignee is not None:
                assignee = assignable_agents(case.team).filter(pk=payload.assignee).first()
                if assignee is None:
                    raise invalid(Message.NOT_ASSIGNABLE)
            assign_case(case, to=assignee, by=user)
        if payload.status is not None:
            change_status(case, status=payload.status, by=user)
        if payload.priority is not None:
            change_priority(case, priority=payload.priority, by=user)
        if payload.kind is not None:
            change_kind(case, kind=payload.kind, by=user)
        if payload.tags is not None:
            set_tags(case, names=payload.tags, by=user)
    return case_out(access_case(user, number))


@router.get(
    "/{number}/interactions",
    response={200: InteractionListOut, **ERRORS},
    summary="A case's interactions, oldest first",
)
def list_interactions(
    request: HttpRequest, number: str, query: Query[InteractionListQuery]
) -> InteractionListOut:
    case = access_case(caller(request), number)
    interactions = case.interactions.select_related("author").prefetch_related("attachments")
    page = keyset_page(
        interactions, cursor=query.cursor, size=query.limit, order=("started_at", "id")
    )
    return InteractionListOut(
        items=[interaction_out(interaction) for interaction in page.items],
        next_cursor=page.next_cursor,
        previous_cursor=page.previous_cursor,
    )


@router.post(
    "/{number}/interactions",
    response={201: InteractionOut, **ERRORS},
    summary="Reply, add a note, or log a customer's message",
)
def create_interaction(
    request: HttpRequest, number: str, payload: InteractionIn
) -> Status[InteractionOut]:
    user = caller(request)
    body_text, body_html = message_bodies(payload.body_text, payload.body_html)
    with transaction.atomic():
        case = access_case(user, number, for_update=True)
        if payload.type == "reply":
            interaction = add_reply(
                case, by=user, body_text=body_text, body_html=body_html, subject=payload.subject
            )
        elif payload.type == "note":
            interaction = add_note(case, by=user, body_text=body_text)
        else:
            message = CustomerMessage(
                channel=Channel.API,
                subject=payload.subject,
                body_text=body_text,
                body_html=body_html,
                meta={"logged_by": user.pk},
            )
            contact = Contact(customer=case.customer, message=message, case=case, by=user)
            interaction = bring_in([contact])[0].interaction
    interaction.refresh_from_db()
    return Status(201, interaction_out(interaction))
