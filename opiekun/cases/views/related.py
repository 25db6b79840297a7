"""Merging two cases, splitting an interaction off into a new case, and linking cases."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.requests import StaffRequest
from opiekun.cases import forms
from opiekun.cases.merging import link_cases, merge_cases, split_interaction, unlink_cases
from opiekun.cases.selectors import (
    access_case,
    access_case_pair,
    access_interaction,
    access_link,
)
from opiekun.cases.views.common import render_case
from opiekun.core.errors import Refused


@staff_required
@require_http_methods(["GET", "POST"])
def merge(request: StaffRequest, number: str) -> HttpResponse:
    """Ask which case to merge into (GET), then merge (POST) and go to the remaining case."""
    user = request.user
    case = access_case(user, number)
    form = forms.MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        into_number = form.cleaned_data["into"].strip()
        try:
            with transaction.atomic():
                source, into = access_case_pair(user, case.number, into_number)
                merge_cases(source, into=into, by=user)
        except Http404:
            form.add_error(
                "into", _("There is no case %(number)s you may see.") % {"number": into_number}
            )
        except Refused as error:
            form.add_error("into", str(error))
        else:
            messages.success(
                request,
                _("Case %(source)s was merged into %(into)s.")
                % {"source": source.number, "into": into.number},
            )
            return redirect(into)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_merge.html", {"case": case, "form": form}, status=status)


@staff_required
@require_POST
def split(request: StaffRequest, number: str, interaction_id: int) -> HttpResponse:
    user = request.user
    form = forms.SplitForm(request.POST)
    subject = form.cleaned_data["subject"] if form.is_valid() else ""
    try:
        with transaction.atomic():
            case = access_case(user, number, for_update=True)
            interaction = access_interaction(user, case, interaction_id)
            new = split_interaction(interaction, by=user, subject=subject)
    except Refused as error:
        messages.error(request, str(error))
        return redirect("cases:detail", number)
    messages.success(
        request,
        _("The interaction now has its own case, %(number)s.") % {"number": new.number},
    )
    return redirect(new)


@staff_required
@require_POST
def link(request: StaffRequest, number: str) -> HttpResponse:
    user = request.user
    case = access_case(user, number)
    form = forms.LinkForm(request.POST)
    if form.is_valid():
        other = form.cleaned_data["other"].strip()
        try:
            with transaction.atomic():
                source, target = access_case_pair(user, case.number, other)
                link_cases(source, to=target, kind=form.cleaned_data["kind"], by=user)
        except Http404:
            form.add_error(
                "other", _("There is no case %(number)s you may see.") % {"number": other}
            )
        except Refused as error:
            form.add_error("other", str(error))
        else:
            return redirect(case)
    return render_case(request, case, status=400, link_form=form)


@staff_required
@require_POST
def unlink(request: StaffRequest, number: str, link_id: int) -> HttpResponse:
    user = request.user
    with transaction.atomic():
        case = access_case(user, number)
        found = access_link(user, case, link_id)
        other = found.target if found.source_id == case.pk else found.source
        access_case_pair(user, case.number, other.number)
        unlink_cases(found, by=user)
    return redirect(case)
