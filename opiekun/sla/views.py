"""SLA and commitments on a case: the panel beside the timeline and its two actions."""

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.requests import StaffRequest
from opiekun.cases.models import Case
from opiekun.cases.selectors import access_case
from opiekun.sla.commitments import CommitmentError, keep_commitment, make_commitment
from opiekun.sla.forms import CommitmentForm
from opiekun.sla.models import Commitment
from opiekun.sla.selectors import target_history


def sla_panel_context(case: Case) -> dict[str, object]:
    return {
        "case": case,
        "targets": target_history(case),
        "commitments": list(case.commitments.all()),
        "commitment_form": CommitmentForm(),
    }


@staff_required
@require_POST
def add_commitment(request: StaffRequest, number: str) -> HttpResponse:
    with transaction.atomic():
        case = access_case(request.user, number, for_update=True)
        form = CommitmentForm(request.POST)
        if form.is_valid():
            try:
                make_commitment(case, by=request.user, **form.cleaned_data)
            except CommitmentError as error:
                messages.error(request, str(error))
        else:
            for field_errors in form.errors.values():
                for message in field_errors:
                    messages.error(request, str(message))
    return redirect(case.get_absolute_url() + "#commitments")


@staff_required
@require_POST
def mark_kept(request: StaffRequest, number: str, commitment_id: int) -> HttpResponse:
    with transaction.atomic():
        case = access_case(request.user, number, for_update=True)
        commitment = get_object_or_404(Commitment, pk=commitment_id, case=case)
        try:
            keep_commitment(commitment, by=request.user)
        except CommitmentError as error:
            messages.error(request, str(error))
    return redirect(case.get_absolute_url() + "#commitments")
