"""The case page and its side panel of properties (assignee, status, priority, kind, team,
tags).

Each property is a small form posted on its own, as soon as it changes (HTMX); the response is
the updated panel saying what was saved (the header and timeline follow out of band). Without
JavaScript each form has a Save button, and the browser is sent back to the case page.
"""

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.models import User
from opiekun.accounts.requests import StaffRequest
from opiekun.cases import forms, services
from opiekun.cases.models import Case, Tag
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
        bound: dict[str, Any] = {name: form}
        if is_htmx(request):
            # 200, as HTMX swaps only successful responses: the panel shows the error.
            return render_controls(request, case, **bound)
        return render_case(request, case, status=400, **bound)
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
        return render_controls(request, case, saved=name.removesuffix("_form"))
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
    """Set the case's tags: the whole list, or a chip added or removed (see TagsForm)."""

    def apply(case: Case, form: django_forms.Form, user: User) -> Case:
        assert isinstance(form, forms.TagsForm)  # noqa: S101 (made just above)
        current = [tag.name for tag in case.tags.all()]
        return services.set_tags(case, names=form.names(current), by=user)

    return _control(
        request,
        number,
        name="tags_form",
        make_form=lambda case: forms.TagsForm(request.POST),
        apply=apply,
    )


SUGGESTED_TAGS = 10


@staff_required
@require_GET
def tag_suggestions(request: StaffRequest, number: str) -> HttpResponse:
    """Existing tag names containing what is being typed (after its last comma), as options
    for the tag input's datalist; the case's own tags are left out. Changes nothing."""
    case = access_case(request.user, number)
    typed = request.GET.get("add", "").split(",")[-1].strip().lower()[:50]
    names = (
        Tag.objects.filter(name__contains=typed)
        .exclude(cases=case)
        .order_by("name")
        .values_list("name", flat=True)[:SUGGESTED_TAGS]
    )
    return render(request, "cases/partials/_tag_suggestions.html", {"names": list(names)})
