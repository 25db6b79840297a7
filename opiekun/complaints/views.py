"""Complaint pages: the register, the deadline board, and the workflow steps on a case."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

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
from opiekun.complaints.selectors import complaint_register, deadline_board

EXPORTS = {
    "csv": (register_csv, "text/csv; charset=utf-8", "csv"),
    "xlsx": (
        register_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    ),
}


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    complaints = complaint_register(request.user, **filters)  # type: ignore[arg-type]
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
        {"form": form, "complaints": complaints[:500], "query": request.GET.urlencode()},
    )


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    rows = deadline_board(request.user)  # type: ignore[arg-type]
    return render(request, "complaints/board.html", {"rows": rows})


def _step(
    request: HttpRequest, number: str, act: Callable[[Case, HttpRequest], None]
) -> HttpResponse:
    """Run one workflow step on the case's complaint under its row lock, then show the case."""
    with transaction.atomic():
        case = access_case(request.user, number, for_update=True)  # type: ignore[arg-type]
        try:
            act(case, request)
        except services.ComplaintError as error:
            messages.error(request, str(error))
    return redirect(case.get_absolute_url() + "#complaint")


def _complaint(case: Case) -> Complaint:
    return get_object_or_404(Complaint.objects.select_related("regime__calendar"), case=case)


def _invalid(request: HttpRequest, form: object) -> None:
    for errors in form.errors.values():  # type: ignore[attr-defined]
        for error in errors:
            messages.error(request, error)


@login_required
@require_POST
def register_complaint(request: HttpRequest, number: str) -> HttpResponse:
    def act(case: Case, request: HttpRequest) -> None:
        form = RegisterForm(request.POST)
        if not form.is_valid():
            return _invalid(request, form)
        data = form.cleaned_data
        services.register_complaint(case, by=request.user, **data)  # type: ignore[arg-type]

    return _step(request, number, act)


@login_required
@require_POST
def record_understanding(request: HttpRequest, number: str) -> HttpResponse:
    def act(case: Case, request: HttpRequest) -> None:
        form = UnderstandingForm(request.POST)
        if not form.is_valid():
            return _invalid(request, form)
        services.record_understanding(
            _complaint(case),
            text=form.cleaned_data["text"],
            by=request.user,  # type: ignore[arg-type]
        )

    return _step(request, number, act)


@login_required
@require_POST
def confirm_understanding(request: HttpRequest, number: str) -> HttpResponse:
    def act(case: Case, request: HttpRequest) -> None:
        form = ConfirmForm(request.POST)
        if not form.is_valid():
            return _invalid(request, form)
        services.confirm_understanding(
            _complaint(case),
            via=form.cleaned_data["via"],
            by=request.user,  # type: ignore[arg-type]
        )

    return _step(request, number, act)


@login_required
@require_POST
def propose(request: HttpRequest, number: str) -> HttpResponse:
    def act(case: Case, request: HttpRequest) -> None:
        form = ProposalForm(request.POST)
        if not form.is_valid():
            return _invalid(request, form)
        services.propose_solution(
            _complaint(case),
            text=form.cleaned_data["text"],
            by=request.user,  # type: ignore[arg-type]
        )

    return _step(request, number, act)


@login_required
@require_POST
def proposal_outcome(request: HttpRequest, number: str, proposal_id: int) -> HttpResponse:
    def act(case: Case, request: HttpRequest) -> None:
        proposal = get_object_or_404(Proposal, pk=proposal_id, complaint__case=case)
        form = ProposalOutcomeForm(request.POST)
        if not form.is_valid():
            return _invalid(request, form)
        services.answer_proposal(proposal, accepted=form.cleaned_data["accepted"])

    return _step(request, number, act)


@login_required
@require_POST
def decide(request: HttpRequest, number: str) -> HttpResponse:
    def act(case: Case, request: HttpRequest) -> None:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return _invalid(request, form)
        services.decide_complaint(
            _complaint(case),
            decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"],
            by=request.user,  # type: ignore[arg-type]
        )

    return _step(request, number, act)


@login_required
@require_POST
def deliver(request: HttpRequest, number: str) -> HttpResponse:
    def act(case: Case, request: HttpRequest) -> None:
        services.deliver_decision(_complaint(case), by=request.user)  # type: ignore[arg-type]

    return _step(request, number, act)


@login_required
@require_POST
def extend(request: HttpRequest, number: str) -> HttpResponse:
    def act(case: Case, request: HttpRequest) -> None:
        form = ExtensionForm(request.POST)
        if not form.is_valid():
            return _invalid(request, form)
        services.extend_deadline(
            _complaint(case),
            new_due=form.cleaned_data["new_due"],
            reason=form.cleaned_data["reason"],
            by=request.user,  # type: ignore[arg-type]
        )

    return _step(request, number, act)


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
