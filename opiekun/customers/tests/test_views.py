"""The customer pages, as staff use them."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Event
from opiekun.cases.tests.factories import CaseFactory
from opiekun.customers.models import Customer, Identity, KnownFact
from opiekun.customers.tests.factories import (
    CustomerFactory,
    IdentityFactory,
    KnownFactFactory,
    OrganisationFactory,
)
from opiekun.customers.views import PER_PAGE

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


# The list and search


def test_search_finds_a_customer_by_a_phone_number_typed_any_way(agent_ann: User) -> None:
    jan = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=jan, kind="phone", value="+48600100200")
    CustomerFactory.create(name="Anna Nowak")

    response = signed_in(agent_ann).get(reverse("customers:list"), {"q": "600-100-200"})

    assert response.status_code == 200
    assert [customer.pk for customer in response.context["page"].items] == [jan.pk]
    assert "Jan Kowalski" in text(response)
    assert "Anna Nowak" not in text(response)


def test_search_by_htmx_returns_only_the_table(agent_ann: User) -> None:
    jan = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=jan, value="jan@example.pl")

    response = signed_in(agent_ann).get(
        reverse("customers:list"), {"q": "JAN@EXAMPLE.PL"}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert [template.name for template in response.templates] == [
        "customers/partials/_customer_table.html"
    ]
    assert "<html" not in text(response)
    assert "jan@example.pl" in text(response)


def test_search_without_a_match_says_so(agent_ann: User) -> None:
    CustomerFactory.create(name="Jan Kowalski")

    response = signed_in(agent_ann).get(reverse("customers:list"), {"q": "Tamm"})

    assert response.context["page"].items == []
    assert "No customer matches “Tamm”." in text(response)


def test_list_pages_by_name(agent_ann: User) -> None:
    customers = [CustomerFactory.create(name=f"Klient {n:03d}") for n in range(PER_PAGE + 1)]
    client = signed_in(agent_ann)

    first = client.get(reverse("customers:list"))
    second = client.get(reverse("customers:list") + first.context["next_url"])

    assert [c.pk for c in first.context["page"].items] == [c.pk for c in customers[:PER_PAGE]]
    assert [c.pk for c in second.context["page"].items] == [customers[PER_PAGE].pk]
    assert second.context["next_url"] == ""
    assert second.context["previous_url"] != ""


def test_a_forged_cursor_shows_the_first_page(agent_ann: User) -> None:
    customer = CustomerFactory.create()

    response = signed_in(agent_ann).get(reverse("customers:list"), {"cursor": "forged"})

    assert [c.pk for c in response.context["page"].items] == [customer.pk]


def _list_queries(client: Client, query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("customers:list"), {"q": query} if query else {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "Kowalski"])
def test_list_query_count_does_not_grow_with_the_page(agent_ann: User, query: str) -> None:
    client = signed_in(agent_ann)
    organisation = OrganisationFactory.create()
    for n in range(2):
        customer = CustomerFactory.create(name=f"Kowalski {n}", organisation=organisation)
        IdentityFactory.create(customer=customer)
    few = _list_queries(client, query)
    for n in range(2, 30):
        customer = CustomerFactory.create(
            name=f"Kowalski {n}", organisation=OrganisationFactory.create()
        )
        IdentityFactory.create(customer=customer)
        IdentityFactory.create(customer=customer, kind="phone", value=f"+4860010{n:04d}")

    many = _list_queries(client, query)

    assert many == few


# The customer page


def test_customer_page_shows_details_identities_facts_and_visible_cases(
    agent_ann: User, team_a: Team, team_b: Team
) -> None:
    customer = CustomerFactory.create(
        name="Jan Kowalski",
        organisation=OrganisationFactory.create(name="Budimex SA"),
        notes="Calls after 16:00.",
        language="et",
    )
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    IdentityFactory.create(customer=customer, kind="phone", value="+48600100200")
    KnownFactFactory.create(customer=customer, value="ZAM/2026/7", source="told by phone to Ann")
    mine = CaseFactory.create(customer=customer, team=team_a, subject="Where is my parcel?")
    theirs = CaseFactory.create(customer=customer, team=team_b, subject="Secret matter")

    response = signed_in(agent_ann).get(reverse("customers:detail", args=[customer.pk]))

    page = text(response)
    assert response.status_code == 200
    for shown in [
        "Jan Kowalski",
        "Budimex SA",
        "Estonian",
        "Calls after 16:00.",
        "jan@example.pl",
        "+48 600 100 200",
        "ZAM/2026/7",
        "told by phone to Ann",
        "Known facts — don't ask again",
        mine.get_absolute_url(),
        "Where is my parcel?",
        "1 case in teams you don't see.",
    ]:
        assert shown in page
    assert theirs.get_absolute_url() not in page
    assert "Secret matter" not in page
    assert "Merge a duplicate" not in page


def test_merged_customer_page_redirects_to_the_kept_record(agent_ann: User) -> None:
    kept = CustomerFactory.create()
    merged = CustomerFactory.create(merged_into=kept)

    response = signed_in(agent_ann).get(reverse("customers:detail", args=[merged.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[kept.pk])


def test_unknown_customer_is_404(agent_ann: User) -> None:
    response = signed_in(agent_ann).get(reverse("customers:detail", args=[404]))

    assert response.status_code == 404


def test_create_customer(agent_ann: User) -> None:
    response = signed_in(agent_ann).post(
        reverse("customers:create"),
        {
            "name": "Mari Tamm",
            "organisation": "Tamm OÜ",
            "language": "et",
            "notes": "",
            "email": "Mari@Tamm.ee",
            "phone": "+372 5123 4567",
        },
    )

    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[customer.pk])
    assert (customer.name, customer.language, str(customer.organisation)) == (
        "Mari Tamm",
        "et",
        "Tamm OÜ",
    )
    assert sorted(customer.identities.values_list("value", flat=True)) == [
        "+37251234567",
        "mari@tamm.ee",
    ]


def test_create_customer_with_a_taken_phone_names_the_owner(agent_ann: User) -> None:
    owner = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=owner, kind="phone", value="+48600100200")

    response = signed_in(agent_ann).post(
        reverse("customers:create"),
        {"name": "Jan K.", "language": "pl", "phone": "600 100 200", "email": "new@example.pl"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "phone": ["The phone number +48600100200 already belongs to Jan Kowalski."]
    }
    assert Customer.objects.count() == 1
    assert Identity.objects.count() == 1


def test_create_customer_with_an_invalid_phone_is_refused(agent_ann: User) -> None:
    response = signed_in(agent_ann).post(
        reverse("customers:create"), {"name": "Jan", "language": "pl", "phone": "123"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {"phone": ["“123” is not a phone number."]}
    assert Customer.objects.count() == 0


def test_edit_customer(agent_ann: User) -> None:
    customer = CustomerFactory.create(name="Jan")
    client = signed_in(agent_ann)

    form = client.get(reverse("customers:edit", args=[customer.pk]))
    response = client.post(
        reverse("customers:edit", args=[customer.pk]),
        {"name": "Jan Kowalski", "organisation": "Budimex SA", "language": "en", "notes": "VIP"},
    )

    assert form.context["form"].initial["name"] == "Jan"
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.name, str(customer.organisation), customer.language, customer.notes) == (
        "Jan Kowalski",
        "Budimex SA",
        "en",
        "VIP",
    )


def test_edit_without_a_name_is_refused(agent_ann: User) -> None:
    customer = CustomerFactory.create(name="Jan")

    response = signed_in(agent_ann).post(
        reverse("customers:edit", args=[customer.pk]), {"name": "", "language": "pl"}
    )

    assert response.status_code == 400
    customer.refresh_from_db()
    assert customer.name == "Jan"


# Identities


def test_add_a_phone_number_typed_with_spaces(agent_ann: User) -> None:
    customer = CustomerFactory.create()

    response = signed_in(agent_ann).post(
        reverse("customers:identity_add", args=[customer.pk]),
        {"kind": "phone", "value": "+48 (22) 123-45-67", "reason": "Read back on a call"},
    )

    assert response.status_code == 302
    assert list(customer.identities.values_list("value", "proof", "proven_by", "reason")) == [
        ("+48221234567", "agent", agent_ann.pk, "Read back on a call")
    ]


def test_adding_a_duplicate_email_names_the_customer_who_owns_it(agent_ann: User) -> None:
    owner = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=owner, value="jan@example.pl")
    customer = CustomerFactory.create(name="Anna Nowak")

    response = signed_in(agent_ann).post(
        reverse("customers:identity_add", args=[customer.pk]),
        {"kind": "email", "value": "JAN@example.pl", "reason": "Given at the counter"},
    )

    assert response.status_code == 400
    assert response.context["identity_form"].errors == {
        "value": ["The email address jan@example.pl already belongs to Jan Kowalski."]
    }
    assert list(customer.identities.all()) == []


def test_the_duplicate_message_is_in_the_users_language(agent_ann: User) -> None:
    agent_ann.language = "pl"
    agent_ann.save(update_fields=["language"])
    owner = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=owner, kind="phone", value="+48600100200")
    customer = CustomerFactory.create()

    response = signed_in(agent_ann).post(
        reverse("customers:identity_add", args=[customer.pk]),
        {"kind": "phone", "value": "600 100 200", "reason": "Given at the counter"},
    )

    assert response.context["identity_form"].errors == {
        "value": ["Numer telefonu +48600100200 należy już do klienta Jan Kowalski."]
    }


def test_remove_an_identity(agent_ann: User) -> None:
    customer = CustomerFactory.create()
    identity = IdentityFactory.create(customer=customer)

    response = signed_in(agent_ann).post(
        reverse("customers:identity_remove", args=[customer.pk, identity.pk])
    )

    assert response.status_code == 302
    assert not Identity.objects.exists()


def test_an_identity_of_another_customer_cannot_be_removed_through_this_one(
    agent_ann: User,
) -> None:
    customer = CustomerFactory.create()
    other = IdentityFactory.create()

    response = signed_in(agent_ann).post(
        reverse("customers:identity_remove", args=[customer.pk, other.pk])
    )

    assert response.status_code == 404
    assert Identity.objects.count() == 1


# Known facts, from the customer page and from the panel beside a case


def test_note_a_fact_on_the_customer_page(agent_ann: User) -> None:
    customer = CustomerFactory.create()
    here = reverse("customers:detail", args=[customer.pk])

    response = signed_in(agent_ann).post(
        reverse("customers:fact_add", args=[customer.pk]),
        {
            "fact-kind": "address",
            "fact-value": "ul. Długa 5, Gdańsk",
            "fact-source": "told by phone to Ann",
            "fact-next": here,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == here
    fact = KnownFact.objects.get()
    assert (fact.customer, fact.kind, fact.value, fact.source, fact.created_by) == (
        customer,
        "address",
        "ul. Długa 5, Gdańsk",
        "told by phone to Ann",
        agent_ann,
    )
    assert fact.source_case is None


def test_a_fact_without_a_value_is_refused_on_the_customer_page(agent_ann: User) -> None:
    customer = CustomerFactory.create()

    response = signed_in(agent_ann).post(
        reverse("customers:fact_add", args=[customer.pk]), {"fact-kind": "order"}
    )

    assert response.status_code == 400
    assert response.context["fact_form"].errors == {"value": ["This field is required."]}
    assert not KnownFact.objects.exists()


def test_panel_fact_by_htmx_returns_the_refreshed_panel(agent_ann: User, team_a: Team) -> None:
    case = CaseFactory.create(team=team_a)

    response = signed_in(agent_ann).post(
        reverse("customers:fact_add", args=[case.customer.pk]),
        {
            "fact-kind": "order",
            "fact-value": "ZAM/2026/42",
            "fact-case": case.number,
            "fact-next": case.get_absolute_url(),
        },
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.templates[0].name == "customers/partials/_customer_panel.html"
    assert 'id="customer-panel"' in text(response)
    assert "ZAM/2026/42" in text(response)
    assert f"from case {case.number}" in text(response)
    assert KnownFact.objects.get().source_case == case


def test_panel_fact_without_javascript_goes_back_to_the_case(agent_ann: User, team_a: Team) -> None:
    case = CaseFactory.create(team=team_a)

    response = signed_in(agent_ann).post(
        reverse("customers:fact_add", args=[case.customer.pk]),
        {
            "fact-kind": "order",
            "fact-value": "ZAM/2026/42",
            "fact-case": case.number,
            "fact-next": case.get_absolute_url(),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert KnownFact.objects.get().value == "ZAM/2026/42"


def test_panel_fact_invalid_by_htmx_shows_the_errors_in_the_panel(
    agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)

    response = signed_in(agent_ann).post(
        reverse("customers:fact_add", args=[case.customer.pk]),
        {"fact-kind": "order", "fact-value": "", "fact-case": case.number},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 400
    assert response.context["fact_form"].errors == {"value": ["This field is required."]}
    assert not KnownFact.objects.exists()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_a_foreign_next_address_is_ignored(agent_ann: User, next_url: str) -> None:
    customer = CustomerFactory.create()

    response = signed_in(agent_ann).post(
        reverse("customers:fact_add", args=[customer.pk]),
        {"fact-kind": "order", "fact-value": "ZAM/1", "fact-next": next_url},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[customer.pk])


def test_a_case_the_user_may_not_see_is_not_recorded_as_the_source(
    agent_ann: User, team_b: Team
) -> None:
    case = CaseFactory.create(team=team_b)

    response = signed_in(agent_ann).post(
        reverse("customers:fact_add", args=[case.customer.pk]),
        {"fact-kind": "order", "fact-value": "ZAM/1", "fact-case": case.number},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 302
    assert KnownFact.objects.get().source_case is None


def test_remove_a_fact_from_the_panel_by_htmx(agent_ann: User, team_a: Team) -> None:
    case = CaseFactory.create(team=team_a)
    fact = KnownFactFactory.create(customer=case.customer, value="ZAM/OLD")

    response = signed_in(agent_ann).post(
        reverse("customers:fact_remove", args=[case.customer.pk, fact.pk]),
        {"case": case.number},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "ZAM/OLD" not in text(response)
    assert not KnownFact.objects.exists()


def test_remove_a_fact_without_javascript(agent_ann: User) -> None:
    fact = KnownFactFactory.create()

    response = signed_in(agent_ann).post(
        reverse("customers:fact_remove", args=[fact.customer.pk, fact.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[fact.customer.pk])
    assert not KnownFact.objects.exists()


# Merging


def test_merge_page_finds_the_duplicate_by_search(lead_lee: User) -> None:
    into = CustomerFactory.create(name="Jan Kowalski")
    duplicate = CustomerFactory.create(name="J. Kowalski")
    IdentityFactory.create(customer=duplicate, value="jk@example.pl")

    response = signed_in(lead_lee).get(
        reverse("customers:merge", args=[into.pk]), {"q": "Kowalski"}
    )

    assert response.status_code == 200
    assert response.context["results"] == [duplicate]
    assert f"duplicate={duplicate.pk}" in text(response)


def test_merge_page_shows_the_duplicate_before_confirming(lead_lee: User) -> None:
    into = CustomerFactory.create(name="Jan Kowalski")
    duplicate = CustomerFactory.create(name="J. Kowalski")
    IdentityFactory.create(customer=duplicate, value="jk@example.pl")

    response = signed_in(lead_lee).get(
        reverse("customers:merge", args=[into.pk]), {"duplicate": duplicate.pk}
    )

    assert response.context["duplicate"] == duplicate
    assert "Merge J. Kowalski into Jan Kowalski?" in text(response)
    assert "jk@example.pl" in text(response)


def test_confirmed_merge_moves_everything_and_goes_to_the_kept_customer(
    lead_lee: User, team_a: Team
) -> None:
    into = CustomerFactory.create(name="Jan Kowalski")
    duplicate = CustomerFactory.create(name="J. Kowalski")
    IdentityFactory.create(customer=duplicate, value="jk@example.pl")
    case = CaseFactory.create(customer=duplicate, team=team_a)

    response = signed_in(lead_lee).post(
        reverse("customers:merge", args=[into.pk]), {"duplicate": duplicate.pk, "confirm": "on"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[into.pk])
    duplicate.refresh_from_db()
    assert duplicate.merged_into == into
    assert Case.objects.get(pk=case.pk).customer == into
    assert Event.objects.filter(case=case, kind=Event.Kind.CUSTOMER).count() == 1


def test_merge_without_confirming_changes_nothing(lead_lee: User) -> None:
    into = CustomerFactory.create()
    duplicate = CustomerFactory.create()

    response = signed_in(lead_lee).post(
        reverse("customers:merge", args=[into.pk]), {"duplicate": duplicate.pk}
    )

    assert response.status_code == 400
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_merging_a_customer_into_itself_is_refused_on_the_page(lead_lee: User) -> None:
    into = CustomerFactory.create()

    response = signed_in(lead_lee).post(
        reverse("customers:merge", args=[into.pk]), {"duplicate": into.pk, "confirm": "on"}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == ["Choose the duplicate customer first."]
    into.refresh_from_db()
    assert into.merged_into is None


# The panel beside a case (the cases desk includes it)


def test_case_page_shows_the_customer_panel(agent_ann: User, team_a: Team) -> None:
    customer = CustomerFactory.create(name="Jan Kowalski")
    KnownFactFactory.create(customer=customer, value="ZAM/2026/7")
    case = CaseFactory.create(customer=customer, team=team_a)
    other = CaseFactory.create(customer=customer, team=team_a)

    response = signed_in(agent_ann).get(case.get_absolute_url())

    page = text(response)
    assert response.status_code == 200
    assert 'id="customer-panel"' in page
    assert "ZAM/2026/7" in page
    assert other.get_absolute_url() in page
    assert reverse("customers:fact_add", args=[customer.pk]) in page
