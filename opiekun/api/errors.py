"""One error shape for the whole API: {"detail": "...", "code": "..."}, detail translated.

Every message the API itself says lives here (the catalogue of opiekun/api), so the routers in
cases/api.py and customers/api.py raise `ApiError(...)` with these and hold no strings of their
own.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from opiekun.core.pagination import InvalidCursor
from opiekun.customers.services import IdentityTaken, InvalidIdentity


class Code:
    BAD_REQUEST = "bad_request"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    CSRF_FAILED = "csrf_failed"
    NOT_FOUND = "not_found"
    CONFLICT = "conflict"
    INVALID = "invalid"
    INVALID_CURSOR = "invalid_cursor"


class Message:
    BAD_REQUEST = _("The request could not be read.")
    NOT_AUTHENTICATED = _("Sign in, or send a valid API token as “Authorization: Bearer …”.")
    PERMISSION_DENIED = _("You may not do this.")
    CSRF_FAILED = _("The CSRF check failed: send the X-CSRFToken header with the session.")
    NOT_FOUND = _("Not found.")
    NO_SUCH_CASE = _("No such case.")
    NO_SUCH_CUSTOMER = _("No such customer.")
    NO_SUCH_TEAM = _("No such team.")
    TEAM_NOT_YOURS = _("You may only open cases in a team you work in.")
    NOT_ASSIGNABLE = _("This person cannot be assigned cases of the team.")
    EMPTY_BODY = _("Write the message in body_text or body_html.")
    CUSTOMER_NEEDS_IDENTITY = _("Give a customer id, or an email address or phone number.")
    INVALID_CURSOR = _("This cursor is not valid for this list; start again from the first page.")


# Selectors raise Http404 with a fixed English text; the client gets it in its language.
NOT_FOUND_MESSAGES: dict[str, Promise] = {
    "No such case": Message.NO_SUCH_CASE,
    "No such customer": Message.NO_SUCH_CUSTOMER,
}

STATUS_CODES = {
    400: (Code.BAD_REQUEST, Message.BAD_REQUEST),
    401: (Code.NOT_AUTHENTICATED, Message.NOT_AUTHENTICATED),
    403: (Code.PERMISSION_DENIED, Message.PERMISSION_DENIED),
    404: (Code.NOT_FOUND, Message.NOT_FOUND),
}


class ErrorOut(Schema):
    detail: str
    code: str


class ApiError(Exception):
    """An answer other than success, with its status, machine-readable code and message."""

    def __init__(self, status: int, code: str, detail: str | Promise) -> None:
        self.status = status
        self.code = code
        self.detail = detail
        super().__init__(status, code, str(detail))


def invalid(detail: str | Promise) -> ApiError:
    return ApiError(422, Code.INVALID, detail)


def refused(detail: str | Promise = Message.PERMISSION_DENIED) -> ApiError:
    return ApiError(403, Code.PERMISSION_DENIED, detail)


def error_response(
    api: NinjaAPI, request: HttpRequest, *, status: int, code: str, detail: str | Promise
) -> HttpResponse:
    response = api.create_response(request, {"detail": str(detail), "code": code}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _api_error(request: HttpRequest, exc: ApiError, *, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, status=exc.status, code=exc.code, detail=exc.detail)


def _http_error(request: HttpRequest, exc: HttpError, *, api: NinjaAPI) -> HttpResponse:
    code, detail = STATUS_CODES.get(exc.status_code, (Code.BAD_REQUEST, Message.BAD_REQUEST))
    return error_response(api, request, status=exc.status_code, code=code, detail=detail)


def _not_found(request: HttpRequest, exc: Http404, *, api: NinjaAPI) -> HttpResponse:
    detail = NOT_FOUND_MESSAGES.get(str(exc), Message.NOT_FOUND)
    return error_response(api, request, status=404, code=Code.NOT_FOUND, detail=detail)


def _validation_error(request: HttpRequest, exc: ValidationError, *, api: NinjaAPI) -> HttpResponse:
    names = sorted({field_name(error.get("loc", ())) for error in exc.errors})
    detail = gettext("Some fields are missing or not valid: %(fields)s.") % {
        "fields": ", ".join(names)
    }
    return error_response(api, request, status=422, code=Code.INVALID, detail=detail)


def field_name(location: Any) -> str:
    """("body", "payload", "customer", "email") → "customer.email"; ("query", "limit") → "limit".

    The first part says where the value came from and the second, for a body, is the name of
    the endpoint's own parameter; neither means anything to the client.
    """
    parts = [str(part) for part in location]
    if parts[:1] == ["body"]:
        parts = parts[2:] or parts[1:]
    elif parts[:1] in (["query"], ["path"]):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _invalid_identity(request: HttpRequest, exc: InvalidIdentity, *, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, status=422, code=Code.INVALID, detail=str(exc))


def _identity_taken(request: HttpRequest, exc: IdentityTaken, *, api: NinjaAPI) -> HttpResponse:
    return error_response(api, request, status=409, code=Code.CONFLICT, detail=str(exc))


def _invalid_cursor(request: HttpRequest, exc: InvalidCursor, *, api: NinjaAPI) -> HttpResponse:
    return error_response(
        api, request, status=400, code=Code.INVALID_CURSOR, detail=Message.INVALID_CURSOR
    )


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's handlers so every refusal has the one shape."""
    handlers: list[tuple[type[Exception], Callable[..., HttpResponse]]] = [
        (ApiError, _api_error),
        (HttpError, _http_error),
        (Http404, _not_found),
        (ValidationError, _validation_error),
        (InvalidIdentity, _invalid_identity),
        (IdentityTaken, _identity_taken),
        (InvalidCursor, _invalid_cursor),
    ]
    for exception, handler in handlers:
        api.add_exception_handler(exception, partial(handler, api=api))
