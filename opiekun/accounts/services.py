"""Changing staff accounts: signing in (with lockout and throttling), preferences, passwords,
two-factor devices and teams."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from opiekun.accounts.models import Team, User
from opiekun.accounts.selectors import confirmed_totp_device

# One address may fail this many times the per-account limit within a lockout period, so
# guessing across many usernames from one place is slowed too.
IP_LIMIT_FACTOR = 4
# Failures against usernames nobody has are remembered this long, like a real account's count.
UNKNOWN_USERNAME_MEMORY = 30 * 24 * 3600


class LoginRefused(Exception):
    """Sign-in refused; the message is safe to show and never tells whether a user exists."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TwoFactorError(Exception):
    pass


def _lockout_seconds() -> int:
    return int(settings.LOGIN_LOCKOUT_MINUTES) * 60


def _locked_message() -> str:
    minutes = int(settings.LOGIN_LOCKOUT_MINUTES)
    return ngettext(
        "Too many failed attempts. Signing in is paused; try again in %(minutes)d minute.",
        "Too many failed attempts. Signing in is paused; try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _wrong_credentials_message() -> str:
    return _("The username or password is not right.")


def _ip_key(client_ip: str) -> str:
    return f"accounts:login-ip:{client_ip}"


def _unknown_key(username: str, suffix: str) -> str:
    digest = hashlib.sha256(username.casefold().encode()).hexdigest()
    return f"accounts:login-unknown-{suffix}:{digest}"


def _ip_blocked(client_ip: str) -> bool:
    limit = int(settings.LOGIN_FAILURE_LIMIT) * IP_LIMIT_FACTOR
    return int(cache.get(_ip_key(client_ip), 0)) >= limit


def _count_ip_failure(client_ip: str) -> None:
    key = _ip_key(client_ip)
    cache.add(key, 0, timeout=_lockout_seconds())
    cache.incr(key)


def _unknown_username_locked(username: str) -> bool:
    return cache.get(_unknown_key(username, "locked")) is not None


def _count_unknown_username_failure(username: str) -> bool:
    """Count a failure for a username nobody has, exactly as for a real account (the answer
    must not tell them apart). Whether the name is now locked."""
    key = _unknown_key(username, "count")
    cache.add(key, 0, timeout=UNKNOWN_USERNAME_MEMORY)
    if cache.incr(key) < int(settings.LOGIN_FAILURE_LIMIT):
        return False
    cache.delete(key)
    cache.set(_unknown_key(username, "locked"), 1, timeout=_lockout_seconds())
    return True


@transaction.atomic
def record_failed_login(user: User) -> User:
    """Count one failed attempt; the limit-th one locks the account for the lockout period
    and starts the count again."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.failed_logins += 1
    if locked.failed_logins >= int(settings.LOGIN_FAILURE_LIMIT):
        locked.failed_logins = 0
        locked.locked_until = timezone.now() + timedelta(seconds=_lockout_seconds())
    locked.save(update_fields=["failed_logins", "locked_until"])
    user.failed_logins = locked.failed_logins
    user.locked_until = locked.locked_until
    return user


def record_successful_login(user: User) -> User:
    """Clear the failure count and any lock once the user is fully signed in."""
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    user.failed_logins = 0
    user.locked_until = None
    return user


def check_credentials(username: str, *, password: str, client_ip: str) -> User:
    """The active user with this username and password, or LoginRefused.

    Every refusal reads the same whether or not the username exists: wrong details give one
    message, and a locked account, a username nobody has that failed as often, and an address
    that failed too often all give the lockout message.
    """
    if _ip_blocked(client_ip):
        raise LoginRefused(_locked_message())
    account = User.objects.filter(username=username).first()
    # Check the password even for locked or unknown accounts, so answers take equally long.
    user = authenticate(None, username=username, password=password)
    if (account is not None and account.is_locked()) or (
        account is None and _unknown_username_locked(username)
    ):
        raise LoginRefused(_locked_message())
    if isinstance(user, User):
        return user
    _count_ip_failure(client_ip)
    if account is not None:
        now_locked = record_failed_login(account).is_locked()
    else:
        now_locked = _count_unknown_username_failure(username)
    raise LoginRefused(_locked_message() if now_locked else _wrong_credentials_message())


def verify_second_factor(user: User, *, token: str) -> TOTPDevice:
    """The user's authenticator if it accepts the code; otherwise LoginRefused, and the wrong
    code counts towards the lockout like a wrong password."""
    if user.is_locked():
        raise LoginRefused(_locked_message())
    device = confirmed_totp_device(user)
    if device is None:
        raise LoginRefused(_("Two-factor authentication is not set up for this account."))
    with transaction.atomic():
        locked_device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if locked_device.verify_token(token):
            return locked_device
    if record_failed_login(user).is_locked():
        raise LoginRefused(_locked_message())
    raise LoginRefused(_("That code is not right or has expired. Try the current one."))


def update_preferences(user: User, *, language: str, availability: str) -> User:
    user.language = language
    user.availability = availability
    user.save(update_fields=["language", "availability"])
    return user


def change_password(user: User, *, new_password: str) -> User:
    """Set a new password (hashed with the first of PASSWORD_HASHERS, argon2)."""
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def start_totp_enrolment(user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator with a fresh secret; any earlier unfinished one goes."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise TwoFactorError(_("Two-factor authentication is already on."))
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


@transaction.atomic
def confirm_totp_device(device: TOTPDevice, *, token: str) -> bool:
    """Turn two-factor on if the code from the new authenticator is right."""
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if locked.confirmed or not locked.verify_token(token):
        return False
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    device.confirmed = True
    return True


@transaction.atomic
def disable_two_factor(user: User, *, token: str) -> bool:
    """Turn two-factor off, only with a current code from the authenticator."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(token):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True


@transaction.atomic
def save_team(
    team: Team | None,
    *,
    name: str,
    email: str,
    signature: str,
    routing: str,
    route_by_skill: bool,
    members: list[User],
) -> Team:
    """Create the team (when `team` is None) or change it, with exactly these members."""
    team = team or Team()
    team.name = name
    team.email = email
    team.signature = signature
    team.routing = routing
    team.route_by_skill = route_by_skill
    if team.last_assigned_id is not None and team.last_assigned not in members:
        team.last_assigned = None
    team.save()
    team.members.set(members)
    return team


def update_member_skills(
    user: User, *, capacity: int, languages: list[str], kinds: list[str], channels: list[str]
) -> User:
    """How many open cases the person can hold and what they handle (empty = anything)."""
    user.capacity = capacity
    user.skill_languages = languages
    user.skill_kinds = kinds
    user.skill_channels = channels
    user.save(update_fields=["capacity", "skill_languages", "skill_kinds", "skill_channels"])
    return user
