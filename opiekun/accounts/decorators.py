"""Who may open a staff page: `staff_required` and `role_required`, for every app's views.

@staff_required
def case_list(request: StaffRequest) -> HttpResponse: ...

@role_required(User.Role.MANAGER, User.Role.ADMIN)
def staffing(request: StaffRequest) -> HttpResponse: ...

The view may take a `StaffRequest` (its `user` is a `User`); the decorated view takes any
`HttpRequest`, as a URLconf passes it.
"""

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, TypeGuard
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from opiekun.accounts.models import User
from opiekun.accounts.requests import StaffRequest
from opiekun.accounts.selectors import has_two_factor

# What a decorator takes (a view written for staff) and what it gives back (a view for anyone).
type StaffView[**P] = Callable[Concatenate[StaffRequest, P], HttpResponseBase]
type View[**P] = Callable[Concatenate[HttpRequest, P], HttpResponseBase]


def _redirect(request: HttpRequest, to: str) -> HttpResponseBase:
    # An HTMX request would swap the sign-in page into a fragment; send the browser there.
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(to)
    return HttpResponse(status=302, headers={"Location": to})


def staff_refusal(request: HttpRequest) -> HttpResponseBase | None:
    """Why this request may not reach a staff page (a redirect), or None when it may.

    Refused: anonymous or inactive users (to the sign-in page), and users with a confirmed
    two-factor device whose session has not given a code yet (to the code step).
    """
    user = request.user
    if not isinstance(user, User) or not user.is_active:
        if getattr(request, "htmx", False):
            login = reverse("accounts:login")
            return HttpResponseClientRedirect(f"{login}?{urlencode({'next': request.path})}")
        return redirect_to_login(request.get_full_path())
    is_verified = getattr(user, "is_verified", None)
    if not (callable(is_verified) and is_verified()) and has_two_factor(user):
        verify = reverse("accounts:verify")
        return _redirect(request, f"{verify}?{urlencode({'next': request.get_full_path()})}")
    return None


def _is_staff_request(request: HttpRequest) -> TypeGuard[StaffRequest]:
    # Called after staff_refusal, which let only an active User through.
    return isinstance(request.user, User)


def staff_required[**P](view: StaffView[P]) -> View[P]:
    """Let in active staff users who are signed in (and gave their code, if they use 2FA)."""

    @wraps(view)
    def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
        refusal = staff_refusal(request)
        if refusal is not None:
            return refusal
        assert _is_staff_request(request)  # noqa: S101 (staff_refusal checked it)
        return view(request, *args, **kwargs)

    return wrapper


def has_role(user: User, *roles: str) -> bool:
    """Whether the user holds one of the roles; a superuser counts as an admin."""
    return user.role in roles or (user.is_superuser and User.Role.ADMIN in roles)


def role_required[**P](*roles: str) -> Callable[[StaffView[P]], View[P]]:
    """Like `staff_required`, then 403 unless the user holds one of `roles`."""

    def decorator(view: StaffView[P]) -> View[P]:
        @wraps(view)
        def wrapper(request: HttpRequest, /, *args: P.args, **kwargs: P.kwargs) -> HttpResponseBase:
            refusal = staff_refusal(request)
            if refusal is not None:
                return refusal
            assert _is_staff_request(request)  # noqa: S101 (staff_refusal checked it)
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
