"""What every desk view shares: the signed-in user, and how a case page is put together."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from opiekun.accounts.models import User
from opiekun.cases import forms
from opiekun.cases.macros import macro_status, macros_for
from opiekun.cases.models import Case
from opiekun.cases.panels import case_panels
from opiekun.cases.selectors import (
    assignable_agents,
    case_links,
    case_timeline,
    others_present,
    others_replying,
)
from opiekun.customers.selectors import customer_panel_context

CUSTOMER_PANEL = "customers/partials/_customer_panel.html"


def is_htmx(request: HttpRequest) -> bool:
    """Whether HTMX made the request (django-htmx's middleware sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def current_user(request: HttpRequest) -> User:
    """The signed-in user, for helpers that are given a plain HttpRequest. Views take a
    `StaffRequest` (opiekun.accounts.requests) and read `request.user` instead."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 (views are wrapped in staff_required)
    return user


def customer_panel(case: Case, user: User) -> dict[str, Any]:
    """The customers app's panel beside the case (known facts, identities, other cases)."""
    return {
        "customer_panel_template": CUSTOMER_PANEL,
        **customer_panel_context(case.customer, user=user, exclude_case=case),
    }


def control_forms(case: Case, user: User, *, saved: str = "", **bound: Any) -> dict[str, Any]:
    """The side panel: each property's form showing the case's current value unless a bound
    (invalid) one is passed in, the case's tags as chips, whether the user may take the case,
    and which property was just `saved` ("status", "tags"…) so the panel can say so."""
    agents = list(assignable_agents(case.team))
    assign_form = bound.get("assign_form")
    if assign_form is None:
        assign_form = forms.AssignForm(
            initial={"agent": case.assignee_id}, agents=assignable_agents(case.team)
        )
        assign_form.offer(agents)
    tags = list(case.tags.all())
    return {
        "assign_form": assign_form,
        "status_form": bound.get("status_form")
        or forms.StatusForm(initial={"status": case.status}),
        "priority_form": bound.get("priority_form")
        or forms.PriorityForm(initial={"priority": case.priority}),
        "kind_form": bound.get("kind_form") or forms.KindForm(initial={"kind": case.kind}),
        "team_form": bound.get("team_form") or team_form(case),
        "tags_form": bound.get("tags_form") or forms.TagsForm(),
        "tags": tags,
        "can_take": case.assignee_id != user.pk and any(agent.pk == user.pk for agent in agents),
        "saved": saved,
    }


def team_form(case: Case) -> forms.TeamForm:
    form = forms.TeamForm(initial={"team": case.team_id})
    form.fetch_choices()
    return form


def timeline_context(case: Case) -> dict[str, Any]:
    """The timeline newest first, below the reply box: the latest message sits right under
    the answer being written, and nobody scrolls past the history to reach the reply."""
    timeline = case_timeline(case)[::-1]
    interactions = sum(1 for entry in timeline if entry.interaction is not None)
    return {"timeline": timeline, "can_split": interactions > 1}


def presence_context(case: Case, user: User) -> dict[str, Any]:
    return {
        "present": others_present(case, user),
        "replying": others_replying(case, user),
    }


def case_context(request: HttpRequest, case: Case, **bound: Any) -> dict[str, Any]:
    user = current_user(request)
    return {
        "case": case,
        **timeline_context(case),
        "links": case_links(case, user),
        "reply_form": bound.get("reply_form") or forms.ReplyForm(),
        "macro_then": macro_then(case, bound.get("reply_form")),
        "note_form": bound.get("note_form") or forms.NoteForm(),
        "macro_form": bound.get("macro_form") or forms.MacroForm(macros=macros_for(case)),
        "merge_form": bound.get("merge_form") or forms.MergeForm(),
        "link_form": bound.get("link_form") or forms.LinkForm(),
        "split_form": forms.SplitForm(),
        "reply_text": bound.get("reply_text"),
        **control_forms(case, user, **bound),
        **presence_context(case, user),
        **customer_panel(case, user),
        "panels": rendered_panels(request, case, user),
    }


def macro_then(case: Case, reply_form: forms.ReplyForm | None) -> dict[str, Any] | None:
    """The inserted macro whose status change the reply will make, for the reply form to show
    (id and the status's label), or None."""
    if reply_form is None:
        return None
    value = reply_form["macro_id"].value()
    if not value or not str(value).isdigit():
        return None
    macro = macros_for(case).filter(pk=int(value)).first()
    if macro is None or not macro_status(macro):
        return None
    return {"id": macro.pk, "status": Case.Status(macro_status(macro)).label}


def rendered_panels(request: HttpRequest, case: Case, user: User) -> list[str]:
    """The panels other apps put beside a case (its complaint, promises and SLA targets,
    goodwill…), each rendered by its app's template with its app's context."""
    return [
        render_to_string(panel.template, panel.context, request=request)
        for panel in case_panels(case, user)
    ]


def render_case(
    request: HttpRequest, case: Case, *, status: int = 200, **bound: Any
) -> HttpResponse:
    return render(
        request, "cases/case_detail.html", case_context(request, case, **bound), status=status
    )


def render_controls(
    request: HttpRequest, case: Case, *, saved: str = "", **bound: Any
) -> HttpResponse:
    """The updated side panel, with the header and timeline swapped out of band."""
    context = {
        "case": case,
        **timeline_context(case),
        "oob": True,
        **control_forms(case, current_user(request), saved=saved, **bound),
    }
    return render(request, "cases/partials/_controls_response.html", context)
