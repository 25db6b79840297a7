import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from opiekun.accounts.decorators import role_required, staff_required
from opiekun.accounts.models import User
from opiekun.accounts.tests.factories import TOTPDeviceFactory, UserFactory

pytestmark = pytest.mark.django_db


def request_by(
    user: User | AnonymousUser, *, verified_with: TOTPDevice | None = None
) -> HttpRequest:
    request = RequestFactory().get("/cases/?page=2")
    request.user = user
    # What django_otp's middleware installs on every signed-in user.
    user.otp_device = verified_with  # type: ignore[union-attr]
    user.is_verified = lambda: verified_with is not None  # type: ignore[union-attr]
    return request


@staff_required
def desk(request: HttpRequest) -> HttpResponse:
    return HttpResponse("desk")


@role_required(User.Role.MANAGER, User.Role.ADMIN)
def staffing(request: HttpRequest) -> HttpResponse:
    return HttpResponse("staffing")


def body(response: HttpResponseBase) -> str:
    assert isinstance(response, HttpResponse)
    return response.content.decode()


def test_staff_required_lets_a_signed_in_user_in(agent_ann: User) -> None:
    response = desk(request_by(agent_ann))

    assert (response.status_code, body(response)) == (200, "desk")


def test_staff_required_sends_anonymous_users_to_sign_in(db: None) -> None:
    response = desk(request_by(AnonymousUser()))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/%3Fpage%3D2"


def test_staff_required_refuses_inactive_users(db: None) -> None:
    gone = UserFactory.create(username="gone", is_active=False)

    response = desk(request_by(gone))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/%3Fpage%3D2"


def test_staff_required_asks_two_factor_users_for_their_code(agent_ann: User) -> None:
    TOTPDeviceFactory.create(user=agent_ann)

    response = desk(request_by(agent_ann))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/code/?next=%2Fcases%2F%3Fpage%3D2"


def test_staff_required_lets_in_two_factor_users_who_gave_the_code(agent_ann: User) -> None:
    device = TOTPDeviceFactory.create(user=agent_ann)

    response = desk(request_by(agent_ann, verified_with=device))

    assert response.status_code == 200


def test_an_unconfirmed_device_does_not_ask_for_a_code(agent_ann: User) -> None:
    TOTPDeviceFactory.create(user=agent_ann, confirmed=False)

    response = desk(request_by(agent_ann))

    assert response.status_code == 200


def test_role_required_lets_the_role_in(manager_maja: User) -> None:
    response = staffing(request_by(manager_maja))

    assert (response.status_code, body(response)) == (200, "staffing")


def test_role_required_counts_a_superuser_as_admin(db: None) -> None:
    root = UserFactory.create(username="root", role=User.Role.AGENT, is_superuser=True)

    response = staffing(request_by(root))

    assert response.status_code == 200


def test_role_required_refuses_other_roles_with_403(lead_lee: User) -> None:
    with pytest.raises(PermissionDenied):
        staffing(request_by(lead_lee))


def test_role_required_sends_anonymous_users_to_sign_in(db: None) -> None:
    response = staffing(request_by(AnonymousUser()))

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/cases/%3Fpage%3D2"
