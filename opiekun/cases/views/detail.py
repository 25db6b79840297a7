"""The case page and its side-panel controls (assign, status, priority, kind, team, tags).

Each control is a small form posted on its own. With HTMX the response is the updated panel
(the header and timeline follow out of band); without it, the browser is sent back to the
case page.
"""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.models import User
from opiekun.accounts.requests import StaffRequest
from opiekun.cases import forms, services
from opiekun.cases.models import Case
from opiekun.cases.selectors import access_case, assignable_agents, can_see_case
from opiekun.cases.views.common import (
    is_htmx,
    render_case,
    render_controls,
)


@staff_required
@require_GET
def case_detail(request: StaffRequest, number: str) -> HttpResponse:
    case = access_case(request.user, number)
    if case.number != number:
        # A merged case's number leads to the case it was merged into.
        return redirect(case)
    return render_case(request, case)


def _control(
    request: StaffRequest,
    number: str,
    *,
    name: str,
    make_form: Callable[[Case], django_forms.Form],
    apply: Callable[[Case, django_forms.Form, User], Any],
) -> HttpResponse:
    user = request.user
    with transaction.atomic():
        case = access_case(user, number, for_update=True)
        form = make_form(case)
        if form.is_valid():
            apply(case, form, user)
    if not form.is_valid():
        if is_htmx(request):
            return render_controls(request, case, **{name: form})
        return render_case(request, case, status=400, **{name: form})
    if not can_see_case(user, case):
        # Handed to a team the user is not in: the case is out of their sight now.
        messages.success(
            request,
            _("Case %(number)s moved to %(team)s.")
            % {
                "number": case.number,
                "team": case.team,
            },
        )
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("cases:list")
            return response
        return redirect("cases:list")
    if is_htmx(request):
        return render_controls(request, case)
    return redirect(case)


@staff_required
@require_POST
def assign(request: StaffRequest, number: str) -> HttpResponse:
    return _control(
        request,
        number,
        name="assign_form",
        make_form=lambda case: forms.AssignForm(request.POST, agents=assignable_agents(case.team)),
        apply=lambda case, form, user: services.assign_case(
            case, to=form.cleaned_data["agent"], by=user
        ),
    )


@staff_required
@require_POST
def change_case_status(request: StaffRequest, number: str) -> HttpResponse:
    return _control(
        request,
        number,
        name="status_form",
        make_form=lambda case: forms.StatusForm(request.POST),
        apply=lambda case, form, user: services.change_status(
            case, status=form.cleaned_data["status"], by=user
        ),
    )


@staff_required
@require_POST
def change_case_priority(request: StaffRequest, number: str) -> HttpResponse:
    return _control(
        request,
        number,
        name="priority_form",
        make_form=lambda case: forms.PriorityForm(request.POST),
        apply=lambda case, form, user: services.change_priority(
            case, priority=form.cleaned_data["priority"], by=user
        ),
    )


@staff_required
@require_POST
def change_case_kind(request: StaffRequest, number: str) -> HttpResponse:
    return _control(
        request,
        number,
        name="kind_form",
        make_form=lambda case: forms.KindForm(request.POST),
        apply=lambda case, form, user: services.change_kind(
            case, kind=form.cleaned_data["kind"], by=user
        ),
    )


@staff_required
@require_POST
def change_case_team(request: StaffRequest, number: str) -> HttpResponse:
    return _control(
        request,
        number,
        name="team_form",
        make_form=lambda case: forms.TeamForm(request.POST),
        apply=lambda case, form, user: services.change_team(
            case, team=form.cleaned_data["team"], by=user
        ),
    )


@staff_required
@require_POST
def change_tags(request: StaffRequest, number: str) -> HttpResponse:
    return _control(
        request,
        number,
        name="tags_form",
        make_form=lambda case: forms.TagsForm(request.POST),
        apply=lambda case, form, user: services.set_tags(
            case, names=forms.tag_names(form.cleaned_data["tags"]), by=user
        ),
    )
