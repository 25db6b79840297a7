"""Who else has the case open: the page's heartbeat and the banner it brings back."""

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.requests import StaffRequest
from opiekun.cases import services
from opiekun.cases.models import Presence
from opiekun.cases.selectors import access_case
from opiekun.cases.views.common import is_htmx, presence_context


@staff_required
@require_POST
def presence(request: StaffRequest, number: str) -> HttpResponse:
    """Mark the user as viewing (or, with activity=replying, writing to the customer) and
    answer with the banner naming everyone else on the case."""
    user = request.user
    case = access_case(user, number)
    replying = request.POST.get("activity") == Presence.Activity.REPLYING
    services.mark_presence(case, user=user, replying=replying)
    if not is_htmx(request):
        return redirect(case)
    return render(
        request,
        "cases/partials/_presence_response.html",
        {"case": case, "oob": True, **presence_context(case, user)},
    )
