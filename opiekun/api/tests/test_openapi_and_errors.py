import json

import pytest
from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.api.errors import field_name
from opiekun.api.tests.conftest import ClientFor
from opiekun.cases.tests.factories import CaseFactory


@pytest.mark.django_db
def test_openapi_document_lists_the_case_and_customer_endpoints() -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["info"]["title"] == "Opiekun API"
    operations = {(path, method) for path, item in document["paths"].items() for method in item}
    assert operations >= {
        ("/api/v1/cases", "get"),
        ("/api/v1/cases", "post"),
        ("/api/v1/cases/{number}", "get"),
        ("/api/v1/cases/{number}", "patch"),
        ("/api/v1/cases/{number}/interactions", "get"),
        ("/api/v1/cases/{number}/interactions", "post"),
        ("/api/v1/customers", "get"),
        ("/api/v1/customers", "post"),
        ("/api/v1/customers/{customer_id}", "get"),
        ("/api/v1/customers/{customer_id}", "patch"),
        ("/api/v1/customers/{customer_id}/identities", "post"),
        ("/api/v1/customers/{customer_id}/facts", "get"),
        ("/api/v1/customers/{customer_id}/facts", "post"),
    }
    assert set(document["components"]["securitySchemes"]) == {"BearerAuth", "SessionAuth"}


@pytest.mark.django_db
def test_openapi_keeps_each_kind_apart() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]

    assert schemas["CaseOut"]["properties"]["kind"]["enum"] == [
        "question",
        "request",
        "complaint",
        "order",
        "feedback",
    ]
    assert schemas["IdentityOut"]["properties"]["kind"]["enum"] == ["email", "phone"]
    assert schemas["ErrorOut"]["required"] == ["detail", "code"]


@pytest.mark.django_db
def test_docs_page_is_off_because_the_csp_forbids_its_scripts() -> None:
    response = Client().get("/api/v1/docs")

    assert response.status_code == 404


def test_body_that_is_not_json_is_400(agent_ann: User, client_for: ClientFor) -> None:
    response = client_for(agent_ann).post(
        "/api/v1/customers", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be read.", "code": "bad_request"}


def test_validation_errors_are_translated(agent_ann: User, client_for: ClientFor) -> None:
    response = client_for(agent_ann, **{"Accept-Language": "pl"}).get("/api/v1/cases", {"limit": 0})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "Brakuje niektórych pól lub mają nieprawidłowe wartości: limit.",
        "code": "invalid",
    }


def test_not_found_is_translated_into_estonian(
    team_a: Team, agent_otto: User, client_for: ClientFor
) -> None:
    case = CaseFactory.create(team=team_a)

    response = client_for(agent_otto, **{"Accept-Language": "et"}).get(
        f"/api/v1/cases/{case.number}"
    )

    assert response.status_code == 404
    assert response.json() == {"detail": "Sellist pöördumist ei ole.", "code": "not_found"}


@pytest.mark.parametrize(
    ("location", "name"),
    [
        (("body", "payload", "customer", "email"), "customer.email"),
        (("body", "payload"), "payload"),
        (("query", "limit"), "limit"),
        (("path", "number"), "number"),
        ((), "body"),
    ],
)
def test_field_names_leave_out_where_the_value_came_from(
    location: tuple[str, ...], name: str
) -> None:
    assert field_name(location) == name
