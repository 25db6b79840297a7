import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from opiekun.accounts.models import User
from opiekun.accounts.selectors import enrolment_for
from opiekun.accounts.tests.factories import PASSWORD, TOTPDeviceFactory, code_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann_device(agent_ann: User) -> TOTPDevice:
    return TOTPDeviceFactory.create(user=agent_ann)


def password_step(client: Client, username: str = "ann") -> None:
    response = client.post(
        reverse("accounts:login") + "?next=/customers/",
        {"username": username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")


def test_password_alone_does_not_sign_in_a_user_with_two_factor(ann_device: TOTPDevice) -> None:
    client = Client()

    password_step(client)
    staff_page = client.get(reverse("accounts:profile"))

    assert SESSION_KEY not in client.session
    assert staff_page.status_code == 302
    assert staff_page["Location"].startswith(reverse("accounts:login"))


def test_the_right_code_completes_the_sign_in(ann_device: TOTPDevice) -> None:
    client = Client()
    password_step(client)

    response = client.post(reverse("accounts:verify"), {"token": code_for(ann_device)})

    assert response.status_code == 302
    assert response["Location"] == "/customers/"
    assert client.session[SESSION_KEY] == str(ann_device.user_id)
    assert client.session[DEVICE_ID_SESSION_KEY] == ann_device.persistent_id
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_wrong_code_is_refused_and_counted(ann_device: TOTPDevice) -> None:
    client = Client()
    password_step(client)
    wrong = f"{(int(code_for(ann_device)) + 500000) % 1000000:06d}"

    response = client.post(reverse("accounts:verify"), {"token": wrong})

    ann = User.objects.get(pk=ann_device.user_id)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "token": ["That code is not right or has expired. Try the current one."]
    }
    assert SESSION_KEY not in client.session
    assert ann.failed_logins == 1


def test_a_code_cannot_be_used_twice(ann_device: TOTPDevice) -> None:
    code = code_for(ann_device)
    first = Client()
    password_step(first)
    first.post(reverse("accounts:verify"), {"token": code})
    second = Client()
    password_step(second)

    response = second.post(reverse("accounts:verify"), {"token": code})

    assert response.status_code == 400
    assert SESSION_KEY not in second.session


def test_the_code_step_without_a_password_goes_back_to_sign_in(db: None) -> None:
    response = Client().get(reverse("accounts:verify"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_a_session_without_the_code_is_sent_to_the_code_step(ann_device: TOTPDevice) -> None:
    client = Client()
    client.force_login(ann_device.user)

    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify") + "?next=%2Faccounts%2Fprofile%2F"


def test_an_htmx_request_without_the_code_is_sent_to_the_code_step(
    ann_device: TOTPDevice,
) -> None:
    client = Client()
    client.force_login(ann_device.user)

    response = client.get(reverse("accounts:profile"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("accounts:verify") + "?next=%2Faccounts%2Fprofile%2F"


def test_a_signed_in_session_can_give_the_code_later(ann_device: TOTPDevice) -> None:
    client = Client()
    client.force_login(ann_device.user)

    response = client.post(
        reverse("accounts:verify") + "?next=/accounts/teams/", {"token": code_for(ann_device)}
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/teams/"
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_enrolment_shows_a_qr_code_and_the_secret(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)

    started = client.post(reverse("accounts:two_factor_start"))
    page = client.get(reverse("accounts:profile"))

    device = TOTPDevice.objects.get(user=agent_ann)
    enrolment = enrolment_for(device)
    html = page.content.decode()
    assert started.status_code == 302
    assert device.confirmed is False
    assert enrolment.qr_data_uri.startswith("data:image/svg+xml;base64,")
    assert f'src="{enrolment.qr_data_uri}"' in html
    assert enrolment.secret in html
    assert len(enrolment.secret.replace(" ", "")) == 32


def test_confirming_with_a_real_code_turns_two_factor_on_and_keeps_the_session(
    agent_ann: User,
) -> None:
    client = Client()
    client.force_login(agent_ann)
    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=agent_ann)

    response = client.post(reverse("accounts:two_factor_confirm"), {"token": code_for(device)})

    device.refresh_from_db()
    assert response.status_code == 302
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_then_every_sign_in_asks_for_the_code(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)
    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=agent_ann)
    client.post(reverse("accounts:two_factor_confirm"), {"token": code_for(device)})
    client.post(reverse("accounts:logout"))
    device.refresh_from_db()

    password_step(client)
    response = client.post(reverse("accounts:verify"), {"token": code_for(device, steps_ahead=1)})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(agent_ann.pk)


def test_confirming_with_a_wrong_code_leaves_two_factor_off(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)
    client.post(reverse("accounts:two_factor_start"))
    device = TOTPDevice.objects.get(user=agent_ann)
    wrong = f"{(int(code_for(device)) + 1) % 1000000:06d}"

    response = client.post(reverse("accounts:two_factor_confirm"), {"token": wrong})

    device.refresh_from_db()
    assert response.status_code == 400
    assert device.confirmed is False
    assert response.context["token_form"].errors == {
        "token": ["That code is not right or has expired. Try the current one."]
    }


def test_starting_again_replaces_an_unfinished_enrolment(agent_ann: User) -> None:
    client = Client()
    client.force_login(agent_ann)
    client.post(reverse("accounts:two_factor_start"))
    first = TOTPDevice.objects.get(user=agent_ann)

    client.post(reverse("accounts:two_factor_start"))

    assert list(
        TOTPDevice.objects.filter(user=agent_ann)
        .exclude(pk=first.pk)
        .values_list("confirmed", flat=True)
    ) == [False]
    assert not TOTPDevice.objects.filter(pk=first.pk).exists()


def test_disabling_needs_a_current_code(ann_device: TOTPDevice) -> None:
    client = Client()
    client.force_login(ann_device.user)
    client.post(reverse("accounts:verify"), {"token": code_for(ann_device)})
    ann_device.refresh_from_db()
    wrong = f"{(int(code_for(ann_device, steps_ahead=1)) + 1) % 1000000:06d}"

    refused = client.post(reverse("accounts:two_factor_disable"), {"token": wrong})
    still_on = TOTPDevice.objects.filter(pk=ann_device.pk, confirmed=True).exists()

    assert refused.status_code == 400
    assert still_on is True


def test_disabling_with_a_current_code_turns_two_factor_off(
    ann_device: TOTPDevice,
) -> None:
    client = Client()
    client.force_login(ann_device.user)
    client.post(reverse("accounts:verify"), {"token": code_for(ann_device)})
    ann_device.refresh_from_db()

    response = client.post(
        reverse("accounts:two_factor_disable"), {"token": code_for(ann_device, steps_ahead=1)}
    )

    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user_id=ann_device.user_id).count() == 0


def test_starting_enrolment_when_already_on_changes_nothing(ann_device: TOTPDevice) -> None:
    client = Client()
    client.force_login(ann_device.user)
    client.post(reverse("accounts:verify"), {"token": code_for(ann_device)})

    response = client.post(reverse("accounts:two_factor_start"))

    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user_id=ann_device.user_id)) == [ann_device]


def test_the_code_step_expires_after_five_minutes(ann_device: TOTPDevice) -> None:
    client = Client()
    password_step(client)
    session = client.session
    session["accounts_pending_since"] = session["accounts_pending_since"] - 301
    session.save()

    response = client.post(reverse("accounts:verify"), {"token": code_for(ann_device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert "accounts_pending_user" not in client.session
