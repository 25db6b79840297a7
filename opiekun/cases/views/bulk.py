"""Bulk changes from the case list: a confirmation that shows what will change, the change,
and its undo. Saved views: keeping and deleting them."""

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.models import User
from opiekun.accounts.requests import StaffRequest
from opiekun.cases.bulk import (
    Action,
    BulkRequest,
    Planned,
    bulk_change,
    plan_bulk_change,
    undo_bulk_change,
)
from opiekun.cases.forms_list import BulkForm, SavedViewForm, chosen_numbers
from opiekun.cases.models import Case
from opiekun.cases.saved_views import delete_view, save_view
from opiekun.cases.selectors import (
    UNDO_MINUTES,
    access_bulk_change,
    access_saved_view,
    filter_agents,
    teams_to_save_views_for,
)
from opiekun.core.errors import Refused

# The session key of the one-line notice the list shows once after a change made from it
# (told there, beside the table, rather than in the page-wide messages).
NOTICE = "cases_list_notice"


def _tell(request: StaffRequest, text: str, *, error: bool = False) -> None:
    request.session[NOTICE] = {"text": text, "error": error}


def _back(request: StaffRequest, query: str | None = None) -> str:
    """The list the request came from (its query string, sent as "next"), or My cases."""
    list_url = reverse("cases:list")
    query = request.POST.get("next", "") if query is None else query
    url = f"{list_url}?{query}" if query else list_url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return list_url
    return url


def _label(name: str, value: Any, agents: dict[int, User]) -> str:
    if name == "assignee":
        return str(agents[value]) if value in agents else _("Nobody")
    if name == "status":
        return str(Case.Status(value).label)
    if name == "priority":
        return str(Case.Priority(value).label)
    if name == "tags":
        return ", ".join(value) or "—"
    return str(value)


def _values(values: dict[str, Any] | None, agents: dict[int, User]) -> str:
    if not values:
        return ""
    return " · ".join(_label(name, value, agents) for name, value in values.items())


def _summary(request: BulkRequest, count: int) -> str:
    values = {"count": count}
    if request.action == Action.ASSIGN:
        agent = str(request.agent) if request.agent else _("nobody")
        return ngettext(
            "Assign %(count)s case to %(agent)s.", "Assign %(count)s cases to %(agent)s.", count
        ) % {**values, "agent": agent}
    if request.action == Action.STATUS:
        return ngettext(
            "Set the status of %(count)s case to %(value)s.",
            "Set the status of %(count)s cases to %(value)s.",
            count,
        ) % {**values, "value": Case.Status(request.status).label}
    if request.action == Action.PRIORITY:
        return ngettext(
            "Set the priority of %(count)s case to %(value)s.",
            "Set the priority of %(count)s cases to %(value)s.",
            count,
        ) % {**values, "value": Case.Priority(request.priority).label}
    if request.action == Action.ADD_TAGS:
        return ngettext(
            "Add the tags %(value)s to %(count)s case.",
            "Add the tags %(value)s to %(count)s cases.",
            count,
        ) % {**values, "value": ", ".join(request.tags)}
    if request.action == Action.REMOVE_TAGS:
        return ngettext(
            "Remove the tags %(value)s from %(count)s case.",
            "Remove the tags %(value)s from %(count)s cases.",
            count,
        ) % {**values, "value": ", ".join(request.tags)}
    return (
        ngettext(
            "Merge %(count)s case into the case chosen below.",
            "Merge %(count)s cases into the case chosen below.",
            count,
        )
        % values
    )


def _confirmation(
    request: StaffRequest, form: BulkForm, bulk: BulkRequest, planned: list[Planned]
) -> HttpResponse:
    agents = {int(pk): agent for pk, agent in form.agents.items()}
    for item in planned:
        if item.case.assignee is not None:
            agents[item.case.assignee.pk] = item.case.assignee
    changing = [item for item in planned if item.after is not None]
    staying = [item for item in planned if item.after is None]
    context = {
        "form": form,
        "bulk": bulk,
        "is_merge": bulk.action == Action.MERGE,
        "summary": _summary(bulk, len(changing)),
        "rows": [
            (item.case, _values(item.before, agents), _values(item.after, agents))
            for item in changing
        ],
        "staying": [item.case for item in staying],
        "planned": planned,
        "next": request.POST.get("next", ""),
        "back_url": _back(request),
        "undo_minutes": UNDO_MINUTES,
    }
    return render(request, "cases/bulk_confirm.html", context)


@staff_required
@require_POST
def bulk(request: StaffRequest) -> HttpResponse:
    """Show what the bulk change would do (the first post), then do it (the post that says
    "confirm")."""
    user = request.user
    numbers = chosen_numbers(request.POST.getlist("case"))
    form = BulkForm(request.POST, agents=filter_agents(user))
    if not numbers:
        _tell(request, _("Tick the cases to change first."), error=True)
        return redirect(_back(request))
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        _tell(request, " ".join(errors), error=True)
        return redirect(_back(request))
    bulk_request = form.bulk_request()
    if bulk_request.action == Action.MERGE and bulk_request.into not in numbers:
        # The confirmation asks which case to keep; the oldest chosen one is offered first.
        bulk_request = BulkRequest(action=Action.MERGE, into="")
    planned = plan_bulk_change(user, numbers, bulk_request)
    if not planned:
        raise Http404("No such cases")
    if bulk_request.action == Action.MERGE and not bulk_request.into:
        bulk_request = BulkRequest(action=Action.MERGE, into=planned[0].case.number)
        planned = plan_bulk_change(user, numbers, bulk_request)
        return _confirmation(request, form, bulk_request, planned)
    if request.POST.get("confirm") != "yes":
        return _confirmation(request, form, bulk_request, planned)
    try:
        change = bulk_change(numbers, request=bulk_request, by=user)
    except Refused as error:
        _tell(request, str(error), error=True)
        return redirect(_back(request))
    if change is None:
        _tell(request, _("Nothing changed: the cases already were so."))
    return redirect(_back(request))


@staff_required
@require_POST
def undo_bulk(request: StaffRequest, change_id: int) -> HttpResponse:
    change = access_bulk_change(request.user, change_id)
    try:
        undone = undo_bulk_change(change, by=request.user)
    except Refused as error:
        _tell(request, str(error), error=True)
        return redirect(_back(request))
    text = ngettext(
        "Undone: %(count)s case is back as it was.",
        "Undone: %(count)s cases are back as they were.",
        undone.restored,
    ) % {"count": undone.restored}
    if undone.left:
        text += " " + ngettext(
            "%(count)s case was changed since and was left as it is.",
            "%(count)s cases were changed since and were left as they are.",
            undone.left,
        ) % {"count": undone.left}
    _tell(request, text)
    return redirect(_back(request))


@staff_required
@require_POST
def create_saved_view(request: StaffRequest) -> HttpResponse:
    user = request.user
    form = SavedViewForm(request.POST, teams=teams_to_save_views_for(user))
    query = request.POST.get("view-query", "")
    if not form.is_valid():
        _tell(request, _("Give the view a name."), error=True)
        return redirect(_back(request, query))
    view = save_view(form.cleaned_data["name"], query=query, for_team=form.team(), by=user)
    _tell(request, _("View “%(name)s” saved.") % {"name": view.name})
    return redirect(f"{reverse('cases:list')}?{view.query}&view={view.pk}")


@staff_required
@require_POST
def remove_saved_view(request: StaffRequest, view_id: int) -> HttpResponse:
    view = access_saved_view(request.user, view_id)
    name = view.name
    delete_view(view)
    _tell(request, _("View “%(name)s” deleted.") % {"name": name})
    return redirect("cases:list")
