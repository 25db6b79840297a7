"""Phone pages: log a call with a running timer, the call-back queue, and the screen pop."""

from datetime import timedelta

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.requests import StaffRequest
from opiekun.cases.models import Case
from opiekun.cases.selectors import access_case, visible_cases
from opiekun.channels.phone.forms import CallbackDoneForm, CallForm
from opiekun.channels.phone.inbound import (
    PhoneError,
    complete_callback,
    log_call,
)
from opiekun.channels.phone.models import Outcome
from opiekun.channels.phone.selectors import (
    access_callback,
    callback_queue,
    ringing_for,
    visible_teams,
)
from opiekun.customers.models import Identity
from opiekun.customers.services import InvalidIdentity, normalise_phone


@staff_required
@require_http_methods(["GET", "POST"])
def log(request: StaffRequest) -> HttpResponse:
    user = request.user
    teams = visible_teams(user)
    initial = {
        "started_at": timezone.now(),
        "number": request.GET.get("number", ""),
        "team": teams.first(),
        "direction": "inbound",
    }
    form = CallForm(request.POST or None, initial=initial, teams=teams)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ended = timezone.now()
        started = data["started_at"]
        if data["handle_time"] is not None:
            started = ended - timedelta(seconds=data["handle_time"])
        try:
            with transaction.atomic():
                case = access_case(user, data["case"], for_update=True) if data["case"] else None
                calls_back = data["outcome"] == Outcome.CALLBACK
                interaction = log_call(
                    number=data["number"], direction=data["direction"], team=data["team"],
                    by=user, started_at=started, ended_at=ended, outcome=data["outcome"],
                    notes=data["notes"], name=data["name"], case=case,
                    subject=data["subject"], kind=data["kind"],
                    callback_due=data["callback_due"] if calls_back else None,
                    callback_reason=data["callback_reason"],
                )  # fmt: skip
        except (PhoneError, Http404) as error:
            messages.error(
                request, str(error) if isinstance(error, PhoneError) else _("No such case.")
            )
        else:
            messages.success(
                request, _("Call logged on case %(number)s.") % {"number": interaction.case.number}
            )
            return redirect(interaction.case.get_absolute_url())
    return render(request, "phone/log.html", {"form": form})


@staff_required
@require_GET
def lookup(request: StaffRequest) -> HttpResponse:
    """Who is calling: the customer with this number and their open cases."""
    user = request.user
    customer = None
    try:
        number = normalise_phone(request.GET.get("number", ""))
    except InvalidIdentity:
        number = ""
    if number:
        identity = Identity.objects.select_related("customer").filter(kind="phone", value=number)
        found = identity.first()
        customer = found.customer if found else None
    cases: list[Case] = []
    if customer is not None:
        cases = list(
            visible_cases(user)
            .filter(customer=customer, status__in=Case.OPEN_STATUSES)
            .order_by("-updated_at")[:10]
        )
    return render(
        request,
        "phone/partials/_caller.html",
        {"customer": customer, "cases": cases, "number": number},
    )


@staff_required
@require_GET
def callbacks(request: StaffRequest) -> HttpResponse:
    queue = callback_queue(request.user)
    return render(
        request,
        "phone/callbacks.html",
        {"callbacks": queue[:200], "now": timezone.now(), "form": CallbackDoneForm(auto_id=False)},
    )


@staff_required
@require_POST
def callback_done(request: StaffRequest, pk: int) -> HttpResponse:
    user = request.user
    form = CallbackDoneForm(request.POST)
    with transaction.atomic():
        callback = access_callback(user, pk)
        if form.is_valid():
            ended = timezone.now()
            try:
                complete_callback(
                    callback, by=user, outcome=form.cleaned_data["outcome"],
                    notes=form.cleaned_data["notes"], ended_at=ended,
                    started_at=ended - timedelta(seconds=form.cleaned_data["handle_time"]),
                )  # fmt: skip
            except PhoneError as error:
                messages.error(request, str(error))
        else:
            messages.error(request, _("Say how the call went and how long it took."))
    return redirect("phone:callbacks")


@staff_required
@require_GET
def ringing(request: StaffRequest) -> HttpResponse:
    """Polled by every desk page: pops up the caller's record while the phone rings."""
    return render(request, "phone/partials/_ringing.html", {"call": ringing_for(request.user)})
