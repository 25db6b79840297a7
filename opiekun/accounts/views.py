"""Signing in and out (with the two-factor step), the profile page and the teams pages."""

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from opiekun.accounts.decorators import role_required, staff_required
from opiekun.accounts.forms import (
    LanguageForm,
    LoginForm,
    MemberForm,
    PreferencesForm,
    TeamForm,
    TokenForm,
)
from opiekun.accounts.models import Team, User
from opiekun.accounts.requests import StaffRequest
from opiekun.accounts.selectors import (
    access_team,
    confirmed_totp_device,
    enrolment_for,
    has_two_factor,
    team_members,
    teams_with_members,
    unconfirmed_totp_device,
)
from opiekun.accounts.services import (
    LoginRefused,
    TwoFactorError,
    change_password,
    check_credentials,
    confirm_totp_device,
    disable_two_factor,
    record_successful_login,
    save_team,
    start_totp_enrolment,
    update_member_skills,
    update_preferences,
    verify_second_factor,
)

# Between the password and the code the session holds only who is signing in, for a while.
PENDING_USER = "accounts_pending_user"
PENDING_SINCE = "accounts_pending_since"
PENDING_NEXT = "accounts_pending_next"
PENDING_SECONDS = 300

MANAGERS = (User.Role.MANAGER, User.Role.ADMIN)


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def _safe_next(request: HttpRequest, candidate: object) -> str:
    if isinstance(candidate, str) and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _is_verified(user: object) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def _pending_user(request: HttpRequest) -> User | None:
    """Who gave the right password and still owes the code, if that was not long ago."""
    user_id = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE)
    if not isinstance(user_id, int) or not isinstance(since, float):
        return None
    if time.time() - since > PENDING_SECONDS:
        _forget_pending(request)
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _forget_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_SINCE, PENDING_NEXT):
        request.session.pop(key, None)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    user = request.user
    if isinstance(user, User) and user.is_active:
        if _is_verified(user) or not has_two_factor(user):
            return redirect(next_url)
        return redirect("accounts:verify")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = check_credentials(
                form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                client_ip=_client_ip(request),
            )
        except LoginRefused as refused:
            form.add_error(None, refused.message)
        else:
            if has_two_factor(user):
                request.session.cycle_key()
                request.session[PENDING_USER] = user.pk
                request.session[PENDING_SINCE] = time.time()
                request.session[PENDING_NEXT] = next_url
                return redirect("accounts:verify")
            login(request, user)
            record_successful_login(user)
            return redirect(next_url)
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url, "language_form": LanguageForm(), "path": request.path},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator, after the password (or for a session
    that signed in before the user turned two-factor on)."""
    signed_in = request.user if isinstance(request.user, User) else None
    if signed_in is not None and (_is_verified(signed_in) or not has_two_factor(signed_in)):
        return redirect(_safe_next(request, request.GET.get("next")))
    user = signed_in or _pending_user(request)
    if user is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = verify_second_factor(user, token=form.cleaned_data["token"])
        except LoginRefused as refused:
            form.add_error("token", refused.message)
        else:
            next_url = _safe_next(
                request, request.session.get(PENDING_NEXT) or request.GET.get("next")
            )
            _forget_pending(request)
            if signed_in is None:
                login(request, user)
            otp_login(request, device)
            record_successful_login(user)
            return redirect(next_url)
    return render(
        request, "accounts/verify.html", {"form": form}, status=400 if form.errors else 200
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect(settings.LOGOUT_REDIRECT_URL)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """The language of the sign-in pages for someone not signed in (the session remembers it)."""
    form = LanguageForm(request.POST)
    if form.is_valid():
        request.session["language"] = form.cleaned_data["language"]
    candidate = request.POST.get("next")
    if isinstance(candidate, str) and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(candidate)
    return redirect("accounts:login")


def _profile_context(user: User, **bound: Any) -> dict[str, Any]:
    device = confirmed_totp_device(user)
    pending = None if device is not None else unconfirmed_totp_device(user)
    return {
        "preferences_form": bound.get("preferences_form")
        or PreferencesForm(initial={"language": user.language, "availability": user.availability}),
        "password_form": bound.get("password_form") or PasswordChangeForm(user),
        "token_form": bound.get("token_form") or TokenForm(),
        "two_factor_on": device is not None,
        "enrolment": enrolment_for(pending) if pending is not None else None,
    }


def _render_profile(request: StaffRequest, *, status: int = 200, **bound: Any) -> HttpResponse:
    user = request.user
    return render(request, "accounts/profile.html", _profile_context(user, **bound), status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def profile(request: StaffRequest) -> HttpResponse:
    user = request.user
    if request.method == "GET":
        return _render_profile(request)
    form = PreferencesForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, status=400, preferences_form=form)
    update_preferences(
        user,
        language=form.cleaned_data["language"],
        availability=form.cleaned_data["availability"],
    )
    # The next page is drawn in the new language at once: the middleware reads user.language.
    messages.success(request, _("Your preferences are saved."))
    return redirect("accounts:profile")


@staff_required
@require_POST
def password_change(request: StaffRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(user, request.POST)
    if not form.is_valid():
        return _render_profile(request, status=400, password_form=form)
    change_password(user, new_password=form.cleaned_data["new_password1"])
    update_session_auth_hash(request, user)
    messages.success(request, _("Your password is changed."))
    return redirect("accounts:profile")


@staff_required
@require_POST
def two_factor_start(request: StaffRequest) -> HttpResponse:
    try:
        start_totp_enrolment(request.user)
    except TwoFactorError as error:
        messages.error(request, str(error))
    return redirect("accounts:profile")


@staff_required
@require_POST
def two_factor_confirm(request: StaffRequest) -> HttpResponse:
    user = request.user
    device = unconfirmed_totp_device(user)
    if device is None:
        return redirect("accounts:profile")
    form = TokenForm(request.POST)
    if form.is_valid() and confirm_totp_device(device, token=form.cleaned_data["token"]):
        otp_login(request, device)
        messages.success(
            request, _("Two-factor authentication is on. You will need a code at every sign-in.")
        )
        return redirect("accounts:profile")
    if form.is_valid():
        form.add_error("token", _("That code is not right or has expired. Try the current one."))
    return _render_profile(request, status=400, token_form=form)


@staff_required
@require_POST
def two_factor_disable(request: StaffRequest) -> HttpResponse:
    user = request.user
    form = TokenForm(request.POST)
    if form.is_valid() and disable_two_factor(user, token=form.cleaned_data["token"]):
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:profile")
    if form.is_valid():
        form.add_error("token", _("That code is not right or has expired. Try the current one."))
    return _render_profile(request, status=400, token_form=form)


@role_required(*MANAGERS)
@require_http_methods(["GET"])
def teams(request: StaffRequest) -> HttpResponse:
    return render(request, "accounts/teams.html", {"teams": teams_with_members(request.user)})


def _edit_team(request: HttpRequest, team: Team | None) -> HttpResponse:
    members = team_members(team) if team is not None else []
    data = request.POST if request.method == "POST" else None
    form = TeamForm(data, instance=team)
    member_forms = [MemberForm(data, member=member) for member in members]
    if data is not None and form.is_valid() and all(f.is_valid() for f in member_forms):
        with transaction.atomic():
            saved = save_team(
                team,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                signature=form.cleaned_data["signature"],
                routing=form.cleaned_data["routing"],
                route_by_skill=form.cleaned_data["route_by_skill"],
                members=list(form.cleaned_data["members"]),
            )
            for member_form in member_forms:
                update_member_skills(
                    member_form.member,
                    capacity=member_form.cleaned_data["capacity"],
                    languages=member_form.cleaned_data["languages"],
                    kinds=member_form.cleaned_data["kinds"],
                    channels=member_form.cleaned_data["channels"],
                )
        messages.success(request, _("Team %(name)s is saved.") % {"name": saved.name})
        return redirect("accounts:team_edit", team_id=saved.pk)
    return render(
        request,
        "accounts/team_edit.html",
        {"team": team, "form": form, "member_forms": member_forms},
        status=400 if data is not None else 200,
    )


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def team_new(request: StaffRequest) -> HttpResponse:
    return _edit_team(request, None)


@role_required(*MANAGERS)
@require_http_methods(["GET", "POST"])
def team_edit(request: StaffRequest, team_id: int) -> HttpResponse:
    team = access_team(request.user, team_id)
    return _edit_team(request, team)
