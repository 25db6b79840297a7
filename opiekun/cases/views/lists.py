"""Case lists: the four tabs, the filter bar and keyset pages."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.requests import StaffRequest
from opiekun.cases.filters import filter_cases
from opiekun.cases.forms import FilterForm
from opiekun.cases.selectors import (
    Tab,
    filter_agents,
    filter_teams,
    for_list,
    tab_cases,
)
from opiekun.cases.views.common import is_htmx
from opiekun.core.pagination import InvalidCursor, keyset_page
from opiekun.customers.models import Customer
from opiekun.sla.selectors import sla_states


@staff_required
@require_GET
def case_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    tab = request.GET.get("tab", Tab.MINE)
    if tab not in dict(Tab.choices):
        tab = Tab.MINE
    form = FilterForm(request.GET or None, teams=filter_teams(user), agents=filter_agents(user))
    form.is_valid()
    filters = form.filters()
    if filters.q:
        tab = Tab.ALL  # a search looks through every case the user may see
    cases, order = tab_cases(user, tab)
    cases = for_list(filter_cases(cases, filters))
    size = settings.CASES_PER_PAGE
    try:
        page = keyset_page(cases, cursor=request.GET.get("cursor") or None, size=size, order=order)
    except InvalidCursor:
        page = keyset_page(cases, cursor=None, size=size, order=order)
    filter_query = filters.as_params()
    customer = Customer.objects.filter(pk=filters.customer).first() if filters.customer else None
    states = sla_states(page.items)
    context = {
        "tab": tab,
        "tabs": [
            (value, label, "?" + urlencode({"tab": value, **filter_query}))
            for value, label in Tab.choices
        ],
        "form": form,
        "filter_customer": customer,
        "page": page,
        "rows": [(case, states.get(case.pk)) for case in page.items],
        "show_age": tab == Tab.UNASSIGNED,
        "next_url": "?" + urlencode({"tab": tab, **filter_query, "cursor": page.next_cursor})
        if page.next_cursor
        else "",
        "previous_url": "?"
        + urlencode({"tab": tab, **filter_query, "cursor": page.previous_cursor})
        if page.previous_cursor
        else "",
        "clear_url": "?" + urlencode({"tab": tab}),
    }
    template = "cases/partials/_case_table.html" if is_htmx(request) else "cases/case_list.html"
    return render(request, template, context)
