"""Activate each staff user's chosen language for every request."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


class UserLanguageMiddleware:
    """Use the language the signed-in user chose; otherwise the session's or the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            language = getattr(user, "language", "")
        else:
            language = request.session.get("language", "") or translation.get_language_from_request(
                request
            )
        # Override, not activate: the language ends with the request, so a worker thread never
        # carries one customer's or user's language into the next request or task.
        with translation.override(language or "en"):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
