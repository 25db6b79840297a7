"""Goodwill on a case, the approvals queue, and the ledger."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.requests import StaffRequest
from opiekun.cases.models import Case
from opiekun.cases.selectors import access_case
from opiekun.feedback.forms import DecisionForm, GestureForm
from opiekun.feedback.selectors import awaiting_approval, ledger_totals, visible_gestures
from opiekun.feedback.services import GoodwillError, decide_gesture, grant_gesture


def goodwill_panel_context(case: Case) -> dict[str, object]:
    return {"case": case, "gestures": list(case.gestures.all()), "gesture_form": GestureForm()}


@staff_required
@require_POST
def grant(request: StaffRequest, number: str) -> HttpResponse:
    user = request.user
    form = GestureForm(request.POST)
    with transaction.atomic():
        case = access_case(user, number, for_update=True)
        if form.is_valid():
            try:
                gesture = grant_gesture(case, by=user, **form.cleaned_data)
            except GoodwillError as error:
                messages.error(request, str(error))
            else:
                if gesture.state == gesture.State.AWAITING_APPROVAL:
                    messages.info(request, _("Above your limit: the gesture waits for approval."))
        else:
            messages.error(request, _("Check the gesture: its kind, cost and reason."))
    return redirect(case.get_absolute_url() + "#goodwill")


@staff_required
@require_GET
def approvals(request: StaffRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "feedback/approvals.html",
        {"gestures": awaiting_approval(user)[:200], "form": DecisionForm()},
    )


@staff_required
@require_POST
def decide(request: StaffRequest, pk: int) -> HttpResponse:
    user = request.user
    gesture = get_object_or_404(visible_gestures(user), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decide_gesture(
                gesture,
                approve=form.cleaned_data["approve"],
                by=user,
                note=form.cleaned_data["note"],
            )
        except GoodwillError as error:
            messages.error(request, str(error))
    return redirect("feedback:approvals")


@staff_required
@require_GET
def ledger(request: StaffRequest) -> HttpResponse:
    gestures = visible_gestures(request.user)
    return render(
        request,
        "feedback/ledger.html",
        {"totals": ledger_totals(gestures), "gestures": gestures[:200]},
    )
