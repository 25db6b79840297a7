"""Reading staff accounts, their two-factor devices and teams."""

import base64
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.models import TOTPDevice

from opiekun.accounts.models import Team, User


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    """The authenticator the user signs in with, if they turned two-factor on."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def unconfirmed_totp_device(user: User) -> TOTPDevice | None:
    """The authenticator being set up: shown as a QR code until the user confirms a code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def has_two_factor(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


@dataclass(frozen=True)
class Enrolment:
    secret: str
    qr_data_uri: str


def enrolment_for(device: TOTPDevice) -> Enrolment:
    """The secret in base32 (groups of four, to type by hand) and a QR code as a data: URI."""
    secret = base64.b32encode(device.bin_key).decode("ascii")
    svg = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    encoded = base64.b64encode(svg.to_string()).decode("ascii")
    return Enrolment(
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        qr_data_uri=f"data:image/svg+xml;base64,{encoded}",
    )


def may_manage_teams(user: User) -> bool:
    return user.is_superuser or user.role in {User.Role.MANAGER, User.Role.ADMIN}


def teams_with_members(user: User) -> QuerySet[Team]:
    """Every team with its members (alphabetical), for managers and admins."""
    if not may_manage_teams(user):
        raise PermissionDenied
    members = User.objects.order_by("first_name", "last_name", "username")
    return Team.objects.prefetch_related(Prefetch("members", queryset=members))


def access_team(user: User, team_id: int, *, for_update: bool = False) -> Team:
    """The team, if the user may edit teams (managers and admins); 404 if there is none."""
    if not may_manage_teams(user):
        raise PermissionDenied
    teams = Team.objects.select_for_update() if for_update else Team.objects.all()
    return get_object_or_404(teams, pk=team_id)


def team_members(team: Team) -> list[User]:
    return list(team.members.order_by("first_name", "last_name", "username"))


def assignable_staff() -> QuerySet[User]:
    """Who may be made a team member: active staff users."""
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
