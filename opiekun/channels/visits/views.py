"""The counter screen (tablet-sized), the kiosk that hands out numbers, and the waiting-room
display. Kiosk and display are public pages shown on devices in the shop."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.models import User
from opiekun.accounts.requests import HtmxRequest, StaffRequest
from opiekun.cases.models import Case, Channel
from opiekun.cases.selectors import access_case, visible_cases
from opiekun.channels.visits.forms import NewVisitorForm, VisitForm
from opiekun.channels.visits.inbound import VisitError, call_next, log_visit, take_ticket
from opiekun.channels.visits.models import QueueTicket, ServicePoint
from opiekun.channels.visits.selectors import (
    access_point,
    called_by,
    counter_search,
    points_for,
    recent_visitors,
    recently_called,
    waiting,
)
from opiekun.customers.models import Customer, Identity
from opiekun.customers.selectors import access_customer
from opiekun.customers.services import InvalidIdentity, find_or_create_customer


@staff_required
@require_GET
def points(request: StaffRequest) -> HttpResponse:
    return render(request, "visits/points.html", {"points": points_for(request.user)})


@staff_required
@require_GET
def counter(request: StaffRequest, slug: str) -> HttpResponse:
    user = request.user
    point = access_point(user, slug)
    context = _counter_context(
        user, point, query=request.GET.get("q", "").strip(), desk=_desk(request, point)
    )
    template = "visits/partials/_search.html" if request.htmx else "visits/counter.html"
    return render(request, template, context)


def _desk_key(point: ServicePoint) -> str:
    return f"visits_desk_{point.pk}"


def _desk(request: HttpRequest, point: ServicePoint) -> str:
    """The desk the agent last called customers to at this point (kept for the session)."""
    return str(request.session.get(_desk_key(point), ""))


def _counter_context(
    user: User,
    point: ServicePoint,
    *,
    query: str = "",
    desk: str = "",
    new_form: NewVisitorForm | None = None,
) -> dict[str, object]:
    return {
        "point": point,
        "query": query,
        "desk": desk,
        "found": counter_search(user, query),
        "recent": recent_visitors(point),
        "waiting_count": waiting(point).count(),
        "called": called_by(point, user),
        "new_form": new_form or NewVisitorForm(),
    }


@staff_required
@require_POST
def next_customer(request: StaffRequest, slug: str) -> HttpResponse:
    user = request.user
    point = access_point(user, slug)
    desk = request.POST.get("desk", "").strip()[:20]
    if not desk:
        # The display tells the customer where to go; a call without a desk sends them nowhere.
        messages.error(request, _("Say which desk you are at, so the customer knows where to go."))
        return redirect("visits:counter", slug=point.slug)
    request.session[_desk_key(point)] = desk
    ticket = call_next(point, by=user, desk=desk)
    if ticket is None:
        messages.info(request, _("Nobody is waiting."))
    return redirect("visits:counter", slug=point.slug)


@staff_required
@require_http_methods(["GET", "POST"])
def visitor(request: StaffRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Step two at the counter: the customer, their open cases, and the visit form."""
    user = request.user
    point = access_point(user, slug)
    if pk is None:
        new = NewVisitorForm(request.POST)
        if not new.is_valid():
            return render(
                request,
                "visits/counter.html",
                _counter_context(user, point, desk=_desk(request, point), new_form=new),
                status=400,
            )
        try:
            customer = find_or_create_customer(
                name=new.cleaned_data["name"], phone=new.cleaned_data["phone"],
                email=new.cleaned_data["email"], channel=Channel.VISIT,
                proof=Identity.Proof.AGENT, by=user,
                reason=_("Given in person at %(point)s") % {"point": point.name},
            )  # fmt: skip
        except InvalidIdentity as error:
            new.add_error(None, str(error))
            return render(
                request,
                "visits/counter.html",
                _counter_context(user, point, desk=_desk(request, point), new_form=new),
                status=400,
            )
        return redirect("visits:visitor", slug=point.slug, pk=customer.pk)
    customer = access_customer(user, pk)
    called = called_by(point, user)
    form = VisitForm(
        initial={"started_at": timezone.now(), "ticket": called.pk if called else None,
                 "reason": called.reason if called else ""}
    )  # fmt: skip
    return render(request, "visits/visitor.html", _visitor_context(user, point, customer, form))


def _visitor_context(
    user: User, point: ServicePoint, customer: Customer, form: VisitForm
) -> dict[str, object]:
    return {
        "point": point,
        "customer": customer,
        "form": form,
        "cases": list(
            visible_cases(user)
            .filter(customer=customer, status__in=Case.OPEN_STATUSES)
            .order_by("-updated_at")[:6]
        ),
    }


@staff_required
@require_POST
def save_visit(request: StaffRequest, slug: str, pk: int) -> HttpResponse:
    user = request.user
    point = access_point(user, slug)
    customer = access_customer(user, pk)
    form = VisitForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "visits/visitor.html",
            _visitor_context(user, point, customer, form),
            status=400,
        )
    data = form.cleaned_data
    try:
        with transaction.atomic():
            case = access_case(user, data["case"], for_update=True) if data["case"] else None
            ticket = (
                get_object_or_404(QueueTicket, pk=data["ticket"], point=point)
                if data["ticket"]
                else None
            )
            interaction = log_visit(
                point=point, customer=customer, by=user, reason=data["reason"],
                outcome=data["outcome"], notes=data["notes"], case=case, kind=data["kind"],
                started_at=data["started_at"], ticket=ticket,
            )  # fmt: skip
    except (VisitError, Http404):
        messages.error(request, _("That case cannot take this visit."))
        return render(
            request,
            "visits/visitor.html",
            _visitor_context(user, point, customer, form),
            status=400,
        )
    messages.success(
        request, _("Visit saved on case %(number)s.") % {"number": interaction.case.number}
    )
    return redirect("visits:counter", slug=point.slug)


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, slug: str) -> HttpResponse:
    point = get_object_or_404(ServicePoint, slug=slug, is_active=True)
    ticket = take_ticket(point) if request.method == "POST" else None
    return render(request, "visits/kiosk.html", {"point": point, "ticket": ticket})


# The waiting-room display shows the ticket called now and the calls before it.
DISPLAY_CALLS = 5


@require_GET
def display(request: HtmxRequest, slug: str) -> HttpResponse:
    """Public, on a screen in the room: the ticket called now with the desk to go to, and the
    last few calls, for whoever looked away; the page refreshes itself."""
    point = get_object_or_404(ServicePoint, slug=slug, is_active=True)
    called = recently_called(point, limit=DISPLAY_CALLS + 1)
    context = {
        "point": point,
        "current": called[0] if called else None,
        "earlier": called[1:],
        "waiting_count": waiting(point).count(),
    }
    template = "visits/partials/_board.html" if request.htmx else "visits/display.html"
    return render(request, template, context)
