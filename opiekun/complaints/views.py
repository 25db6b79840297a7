"""Complaint pages: the register, the deadline board, and the workflow steps on a case."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.models import User
from opiekun.accounts.requests import StaffRequest
from opiekun.cases.models import Case
from opiekun.cases.selectors import access_case
from opiekun.complaints import services
from opiekun.complaints.exports import register_csv, register_xlsx
from opiekun.complaints.forms import (
    ConfirmForm,
    DecisionForm,
    ExtensionForm,
    ProposalForm,
    ProposalOutcomeForm,
    RegisterFilterForm,
    RegisterForm,
    UnderstandingForm,
)
from opiekun.complaints.models import Complaint, Proposal
from opiekun.complaints.selectors import complaint_register, deadline_board, listening_metrics

EXPORTS = {
    "csv": (register_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (
        register_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}


@staff_required
@require_GET
def register(request: StaffRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    complaints = complaint_register(request.user, **filters)
    export = request.GET.get("export", "")
    if export in EXPORTS:
        render_export, content_type, extension = EXPORTS[export]
        response = HttpResponse(render_export(complaints), content_type=content_type)
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="complaints-{stamp}.{extension}"'
        return response
    return render(
        request,
        "complaints/register.html",
        {
            "form": form,
            "complaints": complaints[:500],
            "query": request.GET.urlencode(),
            "listening": listening_metrics(complaints),
        },
    )


@staff_required
@require_GET
def board(request: StaffRequest) -> HttpResponse:
    rows = deadline_board(request.user)
    return render(request, "complaints/board.html", {"rows": rows})


def _complaint(case: Case) -> Complaint:
    return get_object_or_404(Complaint.objects.select_related("regime__calendar"), case=case)


# Each workflow step: the form that checks its input, and what to do with the clean data.
Act = Callable[[Case, dict[str, Any], User], object]
STEPS: dict[str, tuple[type[forms.BaseForm], Act]] = {
    "open": (
        RegisterForm,
        lambda case, data, user: services.register_complaint(case, by=user, **data),
    ),
    "understanding": (
        UnderstandingForm,
        lambda case, data, user: services.record_understanding(
            _complaint(case), text=data["text"], by=user
        ),
    ),
    "confirm": (
        ConfirmForm,
        lambda case, data, user: services.confirm_understanding(
            _complaint(case), via=data["via"], by=user
        ),
    ),
    "propose": (
        ProposalForm,
        lambda case, data, user: services.propose_solution(
            _complaint(case), text=data["text"], by=user
        ),
    ),
    "decide": (
        DecisionForm,
        lambda case, data, user: services.decide_complaint(
            _complaint(case), decision=data["decision"], reasons=data["reasons"], by=user
        ),
    ),
    "deliver": (
        forms.Form,
        lambda case, data, user: services.deliver_decision(_complaint(case), by=user),
    ),
    "extend": (
        ExtensionForm,
        lambda case, data, user: services.extend_deadline(
            _complaint(case), new_due=data["new_due"], reason=data["reason"], by=user
        ),
    ),
}


@staff_required
@require_POST
def step(request: StaffRequest, number: str, name: str) -> HttpResponse:
    """Run one workflow step on the case's complaint under its row lock, then show the case;
    what went wrong is shown as a message in the user's language."""
    form_class, act = STEPS[name]
    user = request.user
    form = form_class(request.POST)
    with transaction.atomic():
        case = access_case(user, number, for_update=True)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
        else:
            try:
                act(case, form.cleaned_data, user)
            except services.ComplaintError as error:
                messages.error(request, str(error))
    return redirect(case.get_absolute_url() + "#complaint")


@staff_required
@require_POST
def proposal_outcome(request: StaffRequest, number: str, proposal_id: int) -> HttpResponse:
    with transaction.atomic():
        case = access_case(request.user, number, for_update=True)
        proposal = get_object_or_404(Proposal, pk=proposal_id, complaint__case=case)
        form = ProposalOutcomeForm(request.POST)
        if form.is_valid():
            services.answer_proposal(proposal, accepted=form.cleaned_data["accepted"])
    return redirect(case.get_absolute_url() + "#complaint")


def complaint_panel_context(case: Case) -> dict[str, object]:
    """What the complaint panel beside a case needs: the complaint (if any) and its forms."""
    complaint = Complaint.objects.filter(case=case).select_related("regime").first()
    if complaint is None:
        initial = {"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                   "received_channel": case.channel}  # fmt: skip
        return {
            "case": case,
            "complaint": None,
            "register_form": RegisterForm(initial=initial),
        }
    return {
        "case": case,
        "complaint": complaint,
        "proposals": list(complaint.proposals.all()),
        "letters": list(complaint.letters.select_related("interaction")),
        "understanding_form": UnderstandingForm(initial={"text": complaint.understanding}),
        "confirm_form": ConfirmForm(),
        "proposal_form": ProposalForm(),
        "decision_form": DecisionForm(
            initial={"decision": complaint.decision, "reasons": complaint.decision_reasons}
        ),
        "extension_form": ExtensionForm(),
    }
