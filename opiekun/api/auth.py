"""Who is calling: a personal API token (Authorization: Bearer opk_…) or, for the agent UI, the
signed-in browser session with its CSRF token. Either way the request runs as that user, with
exactly that user's rights; nothing here decides what the user may see."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django_otp import user_has_device
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from opiekun.accounts.models import User
from opiekun.api.errors import ApiError, Code, Message
from opiekun.api.selectors import user_for_token
from opiekun.api.services import note_token_used


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = user_for_token(token.strip())
        if found is None:
            # A token that was sent but is wrong is refused outright, rather than falling
            # through to the session check (which would answer 403 for a missing CSRF token).
            raise ApiError(401, Code.NOT_AUTHENTICATED, Message.NOT_AUTHENTICATED)
        user, api_token = found
        note_token_used(api_token)
        request.user = user
        if "Accept-Language" not in request.headers:
            # The session middleware saw no user; answer in the token owner's language.
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        return user


class SessionAuth(APIKeyCookie):
    """The browser session, as ninja's SessionAuth, but an anonymous request is simply not
    authenticated (401) instead of failing a CSRF check it never needed; and a user with a
    second factor must have passed it."""

    def __init__(self) -> None:
        self.param_name = settings.SESSION_COOKIE_NAME
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if user_has_device(user) and not getattr(user, "is_verified", lambda: False)():
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise ApiError(403, Code.CSRF_FAILED, Message.CSRF_FAILED)
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


def caller(request: HttpRequest) -> User:
    """The user the request was authenticated as (ninja keeps it in `request.auth`)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise ApiError(401, Code.NOT_AUTHENTICATED, Message.NOT_AUTHENTICATED)
    return user
