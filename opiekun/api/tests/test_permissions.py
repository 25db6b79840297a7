"""Who may do what through the API, on a case of team A and its customer.

Each endpoint has one parametrized test: persona → expected status. A refusal changes nothing.
The rules themselves live in the selectors (visible_cases, access_case, access_customer,
filter_teams); these tests check that every endpoint goes through them.
"""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.api.services import issue_token, revoke_token
from opiekun.cases.models import Case, Event, Interaction
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.models import Customer, Identity, KnownFact
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory

NOBODY = "no_token"
REVOKED = "revoked_token"
PERSONAS = [NOBODY, REVOKED, "agent_ann", "agent_otto", "lead_lee", "manager_maja", "admin_adam"]


def client_as(who: str, request: pytest.FixtureRequest) -> Client:
    if who == NOBODY:
        return Client()
    if who == REVOKED:
        token, raw = issue_token(request.getfixturevalue("agent_ann"))
        revoke_token(token)
    else:
        _token, raw = issue_token(request.getfixturevalue(who))
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def case(team_a: Team) -> Case:
    customer = CustomerFactory.create(name="Jan")
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    return CaseFactory.create(team=team_a, customer=customer, status=Case.Status.OPEN)


def case_state(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (
        case.status,
        case.priority,
        case.kind,
        case.assignee_id,
        sorted(case.tags.values_list("name", flat=True)),
        case.interactions.count(),
        Event.objects.filter(case=case).count(),
    )


def customer_state(customer: Customer) -> tuple[Any, ...]:
    customer.refresh_from_db()
    return (
        customer.name,
        customer.language,
        customer.notes,
        sorted(customer.identities.values_list("value", flat=True)),
        customer.facts.count(),
        Customer.objects.count(),
    )


@pytest.mark.parametrize(
    ("who", "status", "sees_case"),
    [
        (NOBODY, 401, False),
        (REVOKED, 401, False),
        ("agent_ann", 200, True),
        ("agent_otto", 200, False),
        ("lead_lee", 200, True),
        ("manager_maja", 200, True),
        ("admin_adam", 200, True),
    ],
)
def test_list_cases(
    request: pytest.FixtureRequest, case: Case, who: str, status: int, sees_case: bool
) -> None:
    response = client_as(who, request).get("/api/v1/cases")

    assert response.status_code == status
    if status == 200:
        listed = [item["number"] for item in response.json()["items"]]
        assert listed == ([case.number] if sees_case else [])
    else:
        assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (NOBODY, 401),
        (REVOKED, 401),
        ("agent_ann", 201),
        ("agent_otto", 403),
        ("lead_lee", 201),
        ("manager_maja", 201),
        ("admin_adam", 201),
    ],
)
def test_open_case_in_team_a(
    request: pytest.FixtureRequest, case: Case, team_a: Team, who: str, status: int
) -> None:
    client = client_as(who, request)
    before = Case.objects.count()

    response = client.post(
        "/api/v1/cases",
        {"customer": case.customer_id, "team": team_a.pk, "subject": "Nowe", "body_text": "X"},
        content_type="application/json",
    )

    assert response.status_code == status
    assert Case.objects.count() == before + (1 if status == 201 else 0)


CASE_READ_OUTCOMES = [
    (NOBODY, 401),
    (REVOKED, 401),
    ("agent_ann", 200),
    ("agent_otto", 404),
    ("lead_lee", 200),
    ("manager_maja", 200),
    ("admin_adam", 200),
]


@pytest.mark.parametrize(("who", "status"), CASE_READ_OUTCOMES)
def test_get_case(request: pytest.FixtureRequest, case: Case, who: str, status: int) -> None:
    response = client_as(who, request).get(f"/api/v1/cases/{case.number}")

    assert response.status_code == status
    if status == 404:
        assert response.json() == {"detail": "No such case.", "code": "not_found"}


@pytest.mark.parametrize(("who", "status"), CASE_READ_OUTCOMES)
def test_patch_case(
    request: pytest.FixtureRequest, case: Case, lead_lee: User, who: str, status: int
) -> None:
    client = client_as(who, request)
    before = case_state(case)

    response = client.patch(
        f"/api/v1/cases/{case.number}",
        {"priority": "urgent", "assignee": lead_lee.pk, "tags": ["x"], "status": "resolved"},
        content_type="application/json",
    )

    assert response.status_code == status
    after = case_state(case)
    if status == 200:
        assert after[:5] == ("resolved", "urgent", "question", lead_lee.pk, ["x"])
    else:
        assert after == before


@pytest.mark.parametrize(("who", "status"), CASE_READ_OUTCOMES)
def test_list_interactions(
    request: pytest.FixtureRequest, case: Case, who: str, status: int
) -> None:
    response = client_as(who, request).get(f"/api/v1/cases/{case.number}/interactions")

    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [(who, 201 if status == 200 else status) for who, status in CASE_READ_OUTCOMES],
)
def test_reply_to_case(
    request: pytest.FixtureRequest,
    case: Case,
    who: str,
    status: int,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_as(who, request)
    before = case_state(case)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/cases/{case.number}/interactions",
            {"type": "reply", "body_text": "Dzień dobry"},
            content_type="application/json",
        )

    assert response.status_code == status
    if status == 201:
        assert Interaction.objects.filter(case=case).count() == 1
        assert len(mail.outbox) == 1
    else:
        assert case_state(case) == before
        assert mail.outbox == []


# Customers: every active member of staff may look customers up and edit them; the case
# rules decide only which of their cases one may open.

CUSTOMER_OUTCOMES = [
    (NOBODY, 401),
    (REVOKED, 401),
    ("agent_ann", 200),
    ("agent_otto", 200),
    ("lead_lee", 200),
    ("manager_maja", 200),
    ("admin_adam", 200),
]
CUSTOMER_WRITE_OUTCOMES = [(who, 201 if s == 200 else s) for who, s in CUSTOMER_OUTCOMES]


@pytest.mark.parametrize(("who", "status"), CUSTOMER_OUTCOMES)
def test_search_customers(
    request: pytest.FixtureRequest, case: Case, who: str, status: int
) -> None:
    response = client_as(who, request).get("/api/v1/customers", {"q": "jan@example.pl"})

    assert response.status_code == status
    if status == 200:
        assert [item["id"] for item in response.json()["items"]] == [case.customer_id]


@pytest.mark.parametrize(("who", "status"), CUSTOMER_WRITE_OUTCOMES)
def test_create_customer(request: pytest.FixtureRequest, case: Case, who: str, status: int) -> None:
    client = client_as(who, request)
    before = Customer.objects.count()

    response = client.post(
        "/api/v1/customers",
        {"name": "Ewa", "email": "ewa@example.pl"},
        content_type="application/json",
    )

    assert response.status_code == status
    assert Customer.objects.count() == before + (1 if status == 201 else 0)


@pytest.mark.parametrize(("who", "status"), CUSTOMER_OUTCOMES)
def test_get_customer(request: pytest.FixtureRequest, case: Case, who: str, status: int) -> None:
    response = client_as(who, request).get(f"/api/v1/customers/{case.customer_id}")

    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), CUSTOMER_OUTCOMES)
def test_patch_customer(request: pytest.FixtureRequest, case: Case, who: str, status: int) -> None:
    client = client_as(who, request)
    before = customer_state(case.customer)

    response = client.patch(
        f"/api/v1/customers/{case.customer_id}",
        {"notes": "Dzwonić po 16."},
        content_type="application/json",
    )

    assert response.status_code == status
    after = customer_state(case.customer)
    assert after[2] == ("Dzwonić po 16." if status == 200 else before[2])
    assert after[:2] + after[3:] == before[:2] + before[3:]


@pytest.mark.parametrize(("who", "status"), CUSTOMER_WRITE_OUTCOMES)
def test_add_identity(request: pytest.FixtureRequest, case: Case, who: str, status: int) -> None:
    client = client_as(who, request)
    before = Identity.objects.count()

    response = client.post(
        f"/api/v1/customers/{case.customer_id}/identities",
        {"kind": "phone", "value": "+48 600 100 200"},
        content_type="application/json",
    )

    assert response.status_code == status
    assert Identity.objects.count() == before + (1 if status == 201 else 0)


@pytest.mark.parametrize(("who", "status"), CUSTOMER_OUTCOMES)
def test_list_facts(request: pytest.FixtureRequest, case: Case, who: str, status: int) -> None:
    response = client_as(who, request).get(f"/api/v1/customers/{case.customer_id}/facts")

    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), CUSTOMER_WRITE_OUTCOMES)
def test_add_fact(request: pytest.FixtureRequest, case: Case, who: str, status: int) -> None:
    client = client_as(who, request)

    response = client.post(
        f"/api/v1/customers/{case.customer_id}/facts",
        {"kind": "order", "value": "ZAM/1"},
        content_type="application/json",
    )

    assert response.status_code == status
    assert KnownFact.objects.count() == (1 if status == 201 else 0)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("agent_ann", 201),
        ("agent_otto", 404),
        ("lead_lee", 201),
        ("manager_maja", 201),
        ("admin_adam", 201),
    ],
)
def test_add_fact_citing_the_team_a_case(
    request: pytest.FixtureRequest, case: Case, who: str, status: int
) -> None:
    client = client_as(who, request)

    response = client.post(
        f"/api/v1/customers/{case.customer_id}/facts",
        {"kind": "order", "value": "ZAM/1", "source_case": case.number},
        content_type="application/json",
    )

    assert response.status_code == status
    assert KnownFact.objects.count() == (1 if status == 201 else 0)
