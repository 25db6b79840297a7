"""Case lists: the four tabs with their counts, saved views, the filter bar, sortable columns,
keyset pages, the bulk-change toolbar and the "new or changed cases" bar."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.models import User
from opiekun.accounts.requests import StaffRequest
from opiekun.cases.filters import CaseFilters, filter_cases
from opiekun.cases.forms import FilterForm
from opiekun.cases.forms_list import BulkForm, SavedViewForm
from opiekun.cases.models import BulkChange, Case, Channel
from opiekun.cases.selectors import (
    COUNT_CAP,
    NEWS_CAP,
    UNDO_MINUTES,
    Sort,
    Tab,
    changed_since,
    default_sort,
    filter_agents,
    filter_teams,
    for_list,
    overdue_case_ids,
    saved_views,
    tab_cases,
    tab_counts,
    teams_to_save_views_for,
    undoable_bulk_change,
)
from opiekun.cases.views.bulk import NOTICE
from opiekun.cases.views.common import is_htmx
from opiekun.core.pagination import InvalidCursor, keyset_page
from opiekun.customers.models import Customer
from opiekun.sla.selectors import sla_states

# The sortable columns: the sort of a first click, and the one a second click turns it into.
SORTABLE = {
    "priority": (Sort.PRIORITY, Sort.PRIORITY_LOWEST),
    "created": (Sort.CREATED, Sort.CREATED_NEWEST),
    "activity": (Sort.ACTIVITY, Sort.ACTIVITY_OLDEST),
}
# How each sort reads to a screen reader (aria-sort on the column header).
ARIA_SORT: dict[str, str] = {
    Sort.PRIORITY: "descending",
    Sort.PRIORITY_LOWEST: "ascending",
    Sort.CREATED: "ascending",
    Sort.CREATED_NEWEST: "descending",
    Sort.ACTIVITY: "descending",
    Sort.ACTIVITY_OLDEST: "ascending",
}


@dataclass(frozen=True)
class ListState:
    """What the list's address asks for: tab, sort (empty: the tab's own) and filters."""

    tab: str
    sort: str
    form: FilterForm
    filters: CaseFilters
    view: str
    agents: list[User]

    @property
    def query(self) -> dict[str, str]:
        """The address without a page cursor: links that keep the list as it is use it."""
        query = {"tab": self.tab, **self.filters.as_params()}
        if self.sort:
            query["sort"] = self.sort
        if self.view:
            query["view"] = self.view
        return query

    @property
    def overdue_first(self) -> bool:
        """My cases in their default order show overdue work first."""
        return self.tab == Tab.MINE and not self.sort


def list_state(request: StaffRequest) -> ListState:
    user = request.user
    tab = request.GET.get("tab", Tab.MINE)
    if tab not in Tab.values:
        tab = Tab.MINE
    sort = request.GET.get("sort", "")
    if sort not in Sort.values:
        sort = ""
    agents = list(filter_agents(user))
    form = FilterForm(request.GET or None, teams=filter_teams(user), agents=agents)
    form.is_valid()
    filters = form.filters()
    if filters.q:
        tab = Tab.ALL  # a search looks through every case the user may see
    view = request.GET.get("view", "")
    return ListState(
        tab=tab,
        sort=sort,
        form=form,
        filters=filters,
        view=view if view.isdigit() else "",
        agents=agents,
    )


def _url(query: dict[str, str], **extra: str) -> str:
    return "?" + urlencode({**query, **extra})


def _count_label(count: int) -> str:
    return f"{COUNT_CAP - 1}+" if count >= COUNT_CAP else str(count)


def _sort_headers(state: ListState) -> dict[str, dict[str, Any]]:
    current = state.sort or default_sort(state.tab)
    query = {name: value for name, value in state.query.items() if name != "sort"}
    headers = {}
    for column, (first, second) in SORTABLE.items():
        active = current in (first, second)
        target = second if current == first else first
        headers[column] = {
            "url": _url(query, sort=target),
            "aria_sort": ARIA_SORT[current] if active else "",
            "arrow": ("↓" if ARIA_SORT[current] == "descending" else "↑") if active else "",
        }
    return headers


def _undo_context(change: BulkChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    count = len(change.changes)
    return {
        "change": change,
        "text": ngettext(
            "%(action)s: %(count)s case changed.", "%(action)s: %(count)s cases changed.", count
        )
        % {"action": change.get_action_display(), "count": count},
        "minutes": UNDO_MINUTES,
    }


@staff_required
@require_GET
def case_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    state = list_state(request)
    cases, order = tab_cases(user, state.tab, state.sort or None)
    cases = filter_cases(cases, state.filters)
    size = settings.CASES_PER_PAGE
    cursor = request.GET.get("cursor") or None
    overdue_ids = []
    if state.overdue_first:
        overdue_ids = _overdue_ids(user, state, cases, first_page=cursor is None, limit=size)
        cases = cases.exclude(pk__in=overdue_ids) if overdue_ids else cases
    # The overdue cases head the first page and count towards its size.
    first_size = max(size - len(overdue_ids), 1)
    try:
        page = keyset_page(
            for_list(cases), cursor=cursor, size=size if cursor else first_size, order=order
        )
    except InvalidCursor:
        cursor = None
        page = keyset_page(for_list(cases), cursor=None, size=first_size, order=order)
    overdue: list[Case] = []
    if overdue_ids and cursor is None:
        found = {case.pk: case for case in for_list(Case.objects.filter(pk__in=overdue_ids))}
        overdue = [found[pk] for pk in overdue_ids if pk in found]
    items = overdue + page.items
    states = sla_states(items)
    context = {
        **table_context(request, state),
        "page": page,
        "rows": rows(items, states),
        "overdue_count": len(overdue),
        "next_url": _url(state.query, cursor=page.next_cursor) if page.next_cursor else "",
        "previous_url": _url(state.query, cursor=page.previous_cursor)
        if page.previous_cursor
        else "",
    }
    if is_htmx(request):
        return render(request, "cases/partials/_case_table.html", context)
    context.update(page_context(user, state))
    return render(request, "cases/case_list.html", context)


# How long the overdue cases found for a list's first page stay the ones its later pages
# leave out: the pages of one list agree, and a later page does not look them up again.
OVERDUE_KEPT_SECONDS = 300


def _overdue_ids(
    user: User, state: ListState, cases: Any, *, first_page: bool, limit: int
) -> list[int]:
    key = f"case-list-overdue:{user.pk}:{urlencode(sorted(state.query.items()))}"
    if not first_page and (kept := cache.get(key)) is not None:
        return list(kept)
    found = overdue_case_ids(cases, now=timezone.now(), limit=limit)
    cache.set(key, found, OVERDUE_KEPT_SECONDS)
    return found


@dataclass(frozen=True)
class Row:
    """One line of the list. Choice labels are looked up once per page, not per cell: each
    `get_FOO_display` hashes every lazy label of its field, a few thousand translations for a
    page of fifty cases."""

    case: Case
    sla: Any
    url: str
    status: str
    priority: str
    kind: str
    channel: str
    tick_label: str


def rows(cases: list[Case], states: dict[int, Any]) -> list[Row]:
    labels = {
        field: {value: str(label) for value, label in choices}
        for field, choices in (
            ("status", Case.Status.choices),
            ("priority", Case.Priority.choices),
            ("kind", Case.Kind.choices),
            ("channel", Channel.choices),
        )
    }
    tick = gettext("Tick case %(number)s")
    return [
        Row(
            case=case,
            sla=states.get(case.pk),
            url=case.get_absolute_url(),
            status=labels["status"].get(case.status, case.status),
            priority=labels["priority"].get(case.priority, case.priority),
            kind=labels["kind"].get(case.kind, case.kind),
            channel=labels["channel"].get(case.channel, case.channel),
            tick_label=tick % {"number": case.number},
        )
        for case in cases
    ]


def table_context(request: StaffRequest, state: ListState) -> dict[str, Any]:
    """What the table partial needs besides its rows."""
    user = request.user
    query = state.query
    return {
        "tab": state.tab,
        "sort": state.sort,
        "query": urlencode(query),
        "headers": _sort_headers(state),
        "show_age": state.tab == Tab.UNASSIGNED,
        "selected": set(request.GET.getlist("case")),
        "bulk_form": BulkForm(agents=state.agents),
        "news_url": reverse("cases:news")
        + _url(query, since=timezone.now().isoformat(timespec="microseconds")),
        "refresh_url": reverse("cases:list") + _url(query),
        "undo": _undo_context(undoable_bulk_change(user)),
        "notice": request.session.pop(NOTICE, None),
    }


def page_context(user: User, state: ListState) -> dict[str, Any]:
    """The page around the table: tabs, saved views and the filter bar. The tabs' counts come
    after the page, from case_list_counts: the list shows without waiting for four counts."""
    filter_query = state.filters.as_params()
    views = saved_views(user)
    team_ids = set(teams_to_save_views_for(user).values_list("pk", flat=True)) if views else set()
    query = {name: value for name, value in state.query.items() if name != "view"}
    return {
        "form": state.form,
        "filter_customer": Customer.objects.filter(pk=state.filters.customer).first()
        if state.filters.customer
        else None,
        "tabs": [
            (
                value,
                label,
                _url({"tab": value, **filter_query}),
                value == state.tab and not state.view,
            )
            for value, label in Tab.choices
        ],
        "views": [
            (
                view,
                f"?{view.query}&view={view.pk}" if view.query else f"?view={view.pk}",
                view.user_id == user.pk or view.team_id in team_ids,
            )
            for view in views
        ],
        "current_view": state.view,
        "save_form": SavedViewForm(
            teams=teams_to_save_views_for(user), initial={"query": urlencode(query)}
        ),
        "clear_url": _url({"tab": state.tab}),
    }


@staff_required
@require_GET
def case_list_counts(request: StaffRequest) -> HttpResponse:
    """How many cases each tab holds, swapped into the tabs out of band once the page shows."""
    counts = tab_counts(request.user)
    context = {"counts": [(tab, _count_label(counts[tab])) for tab in Tab.values]}
    return render(request, "cases/partials/_tab_counts.html", context)


@staff_required
@require_GET
def case_list_news(request: StaffRequest) -> HttpResponse:
    """How many cases of the list as shown changed since it was shown (polled by the page)."""
    state = list_state(request)
    since = _parse_since(request.GET.get("since", ""))
    count = 0
    if since is not None:
        cases, _order = tab_cases(request.user, state.tab, state.sort or None)
        count = changed_since(filter_cases(cases, state.filters), since)
    context = {
        "count": count,
        "count_label": f"{NEWS_CAP - 1}+" if count >= NEWS_CAP else str(count),
        "refresh_url": reverse("cases:list") + _url(state.query),
    }
    return render(request, "cases/partials/_case_news.html", context)


def _parse_since(value: str) -> datetime | None:
    try:
        since = datetime.fromisoformat(value)
    except ValueError:
        return None
    return since if timezone.is_aware(since) else None
