"""Who may use each customer page: every active member of staff; merging only leads and up."""

from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from opiekun.accounts.models import User
from opiekun.accounts.tests.factories import UserFactory
from opiekun.customers.models import Customer, PossibleMatch
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory, KnownFactFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "inactive", "agent", "lead", "manager", "admin"]


def _user(role: str, request: pytest.FixtureRequest) -> User | None:
    if role == "anonymous":
        return None
    if role == "inactive":
        return UserFactory.create(username="gone", is_active=False)
    persona = {
        "agent": "agent_ann",
        "lead": "lead_lee",
        "manager": "manager_maja",
        "admin": "admin_adam",
    }[role]
    user = request.getfixturevalue(persona)
    assert isinstance(user, User)
    return user


def _customer() -> Customer:
    customer = CustomerFactory.create()
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    KnownFactFactory.create(customer=customer)
    return customer


Call = Callable[[Client, Customer], int]


def _get(name: str, *, with_pk: bool = True) -> Call:
    def call(client: Client, customer: Customer) -> int:
        args = [customer.pk] if with_pk else []
        return client.get(reverse(f"customers:{name}", args=args)).status_code

    return call


def _add_identity(client: Client, customer: Customer) -> int:
    url = reverse("customers:identity_add", args=[customer.pk])
    form = {"kind": "phone", "value": "600 100 200", "reason": "Called back on it"}
    return client.post(url, form).status_code


def _confirm_identity(client: Client, customer: Customer) -> int:
    identity = customer.identities.get()
    url = reverse("customers:identity_confirm", args=[customer.pk, identity.pk])
    return client.post(url, {"reason": "Checked on a call"}).status_code


def _detach_identity(client: Client, customer: Customer) -> int:
    identity = customer.identities.get()
    url = reverse("customers:identity_detach", args=[customer.pk, identity.pk])
    return client.post(url).status_code


def _dismiss_match(client: Client, customer: Customer) -> int:
    other = CustomerFactory.create()
    match = PossibleMatch.objects.create(
        customer=other, candidate=customer, kind="email", value="jan@example.pl", why="beside"
    )
    url = reverse("customers:match_dismiss", args=[customer.pk, match.pk])
    return client.post(url).status_code


def _remove_identity(client: Client, customer: Customer) -> int:
    identity = customer.identities.get()
    url = reverse("customers:identity_remove", args=[customer.pk, identity.pk])
    return client.post(url).status_code


def _add_fact(client: Client, customer: Customer) -> int:
    url = reverse("customers:fact_add", args=[customer.pk])
    return client.post(url, {"fact-kind": "order", "fact-value": "ZAM/9"}).status_code


def _remove_fact(client: Client, customer: Customer) -> int:
    fact = customer.facts.get()
    url = reverse("customers:fact_remove", args=[customer.pk, fact.pk])
    return client.post(url).status_code


def _create(client: Client, customer: Customer) -> int:
    url = reverse("customers:create")
    return client.post(url, {"name": "Nowy", "language": "pl"}).status_code


def _merge(client: Client, customer: Customer) -> int:
    duplicate = CustomerFactory.create()
    url = reverse("customers:merge", args=[customer.pk])
    return client.post(url, {"duplicate": duplicate.pk, "confirm": "on"}).status_code


ACTIONS: dict[str, tuple[Call, int]] = {
    "list": (_get("list", with_pk=False), 200),
    "create form": (_get("create", with_pk=False), 200),
    "create": (_create, 302),
    "detail": (_get("detail"), 200),
    "edit form": (_get("edit"), 200),
    "add identity": (_add_identity, 302),
    "remove identity": (_remove_identity, 302),
    "confirm identity": (_confirm_identity, 302),
    "move identity away": (_detach_identity, 302),
    "dismiss a possible match": (_dismiss_match, 302),
    "add fact": (_add_fact, 302),
    "remove fact": (_remove_fact, 302),
}
LEAD_ACTIONS: dict[str, tuple[Call, int]] = {
    "merge page": (_get("merge"), 200),
    "merge": (_merge, 302),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", [*ACTIONS, *LEAD_ACTIONS])
def test_permission_matrix(request: pytest.FixtureRequest, role: str, action: str) -> None:
    user = _user(role, request)
    client = Client()
    if user is not None:
        client.force_login(user)
    customer = _customer()
    call, allowed = ACTIONS.get(action) or LEAD_ACTIONS[action]
    if role in {"anonymous", "inactive"}:
        expected = 302
    elif action in LEAD_ACTIONS and role == "agent":
        expected = 403
    else:
        expected = allowed

    status = call(client, customer)

    assert status == expected


@pytest.mark.parametrize("role", ["anonymous", "inactive"])
def test_signed_out_users_are_sent_to_sign_in_and_nothing_changes(
    request: pytest.FixtureRequest, role: str
) -> None:
    user = _user(role, request)
    client = Client()
    if user is not None:
        client.force_login(user)
    customer = _customer()
    url = reverse("customers:fact_add", args=[customer.pk])

    response = client.post(url, {"fact-kind": "order", "fact-value": "ZAM/9"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))
    assert customer.facts.count() == 1


def test_an_agent_may_not_merge_and_nothing_changes(agent_ann: User) -> None:
    into = CustomerFactory.create()
    duplicate = CustomerFactory.create()
    client = Client()
    client.force_login(agent_ann)

    response = client.post(
        reverse("customers:merge", args=[into.pk]), {"duplicate": duplicate.pk, "confirm": "on"}
    )

    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_only_leads_and_up_see_the_merge_button(agent_ann: User, lead_lee: User) -> None:
    customer = CustomerFactory.create()
    merge_url = reverse("customers:merge", args=[customer.pk])
    pages = {}
    for user in (agent_ann, lead_lee):
        client = Client()
        client.force_login(user)
        pages[user.username] = client.get(customer.get_absolute_url()).content.decode()

    assert (merge_url in pages["ann"], merge_url in pages["lee"]) == (False, True)
