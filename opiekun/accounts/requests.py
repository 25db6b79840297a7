"""Typed requests for views: what the middleware and the staff decorators guarantee.

@staff_required
def case_list(request: StaffRequest) -> HttpResponse:
    cases = visible_cases(request.user)  # a User, never AnonymousUser
    template = "_table.html" if request.htmx else "case_list.html"

These classes only describe requests for the type checker (as django-stubs and django-htmx
document); at run time every request is Django's own.
"""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from opiekun.accounts.models import User


class HtmxRequest(HttpRequest):
    """Any request that passed django-htmx's middleware, which sets `htmx` on every one."""

    htmx: HtmxDetails


class StaffRequest(HtmxRequest):
    """A request that `staff_required` or `role_required` let through: an active staff user
    is signed in (and gave their code, if they use two-factor authentication)."""

    user: User
