"""Customer pages: the list and search, one customer, their identities and known facts, the
panel beside every case, and merging duplicates."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiekun.accounts.decorators import role_required, staff_required
from opiekun.accounts.models import User
from opiekun.accounts.requests import StaffRequest
from opiekun.cases.models import Case
from opiekun.cases.selectors import access_case
from opiekun.core.pagination import InvalidCursor, keyset_page
from opiekun.customers import forms
from opiekun.customers.models import Customer
from opiekun.customers.selectors import (
    LIST_ORDER,
    MERGE_ROLES,
    access_customer,
    access_fact,
    access_identity,
    access_possible_match,
    customer_cases,
    customer_facts,
    customer_identities,
    customer_panel_context,
    find_customers,
    for_list,
    may_merge,
    open_possible_matches,
    visible_customers,
)
from opiekun.customers.services import (
    IdentityTaken,
    InvalidIdentity,
    MergeRefused,
    add_identity,
    add_known_fact,
    confirm_identity,
    create_customer,
    detach_identity,
    dismiss_possible_match,
    merge_customers,
    remove_identity,
    remove_known_fact,
    update_customer,
)

PER_PAGE = 50
PANEL = "customers/partials/_customer_panel.html"


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def safe_next(request: HttpRequest, value: str | None, *, default: str) -> str:
    """`value` if it is a URL on this site, else `default`: a posted `next` never sends the
    user elsewhere."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


@staff_required
@require_GET
def customer_list(request: StaffRequest) -> HttpResponse:
    user = request.user
    form = forms.SearchForm(request.GET or None)
    query = form.query()
    customers = find_customers(user, query) if query else visible_customers(user)
    customers = for_list(customers)
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset_page(customers, cursor=cursor, size=PER_PAGE, order=LIST_ORDER)
    except InvalidCursor:
        page = keyset_page(customers, cursor=None, size=PER_PAGE, order=LIST_ORDER)
    base = {"q": query} if query else {}
    context = {
        "form": form,
        "query": query,
        "page": page,
        "next_url": "?" + urlencode({**base, "cursor": page.next_cursor})
        if page.next_cursor
        else "",
        "previous_url": "?" + urlencode({**base, "cursor": page.previous_cursor})
        if page.previous_cursor
        else "",
    }
    if is_htmx(request):
        return render(request, "customers/partials/_customer_table.html", context)
    return render(request, "customers/customer_list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def customer_create(request: StaffRequest) -> HttpResponse:
    form = forms.NewCustomerForm(request.POST or None, initial={"language": "pl"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            customer = create_customer(
                name=data["name"],
                language=data["language"],
                organisation_name=data["organisation"],
                notes=data["notes"],
                email=data["email"],
                phone=data["phone"],
                by=request.user,
            )
        except IdentityTaken as error:
            form.add_error(str(error.kind), str(error))
        else:
            messages.success(request, _("Customer %(name)s was added.") % {"name": customer})
            return redirect("customers:detail", customer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/customer_form.html", {"form": form}, status=status)


def detail_context(request: StaffRequest, customer: Customer, **bound: Any) -> dict[str, Any]:
    user = request.user
    here = reverse("customers:detail", args=[customer.pk])
    return {
        "customer": customer,
        "identities": customer_identities(customer),
        "possible_matches": open_possible_matches(customer),
        "facts": customer_facts(customer),
        "cases": customer_cases(customer, user=user),
        "identity_form": bound.get("identity_form") or forms.IdentityForm(),
        "fact_form": bound.get("fact_form") or forms.KnownFactForm(initial={"next": here}),
        "may_merge": may_merge(user),
        "cases_url": reverse("cases:list")
        + "?"
        + urlencode({"tab": "all", "customer": customer.pk}),
    }


@staff_required
@require_GET
def customer_detail(request: StaffRequest, pk: int) -> HttpResponse:
    customer = access_customer(request.user, pk)
    if customer.pk != pk:
        return redirect("customers:detail", customer.pk)
    return render(request, "customers/customer_detail.html", detail_context(request, customer))


@staff_required
@require_http_methods(["GET", "POST"])
def customer_edit(request: StaffRequest, pk: int) -> HttpResponse:
    customer = access_customer(request.user, pk)
    if customer.pk != pk:
        return redirect("customers:edit", customer.pk)
    if request.method == "POST":
        form = forms.CustomerForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            update_customer(
                customer,
                name=data["name"],
                language=data["language"],
                organisation_name=data["organisation"],
                notes=data["notes"],
            )
            messages.success(request, _("The customer's details were saved."))
            return redirect("customers:detail", customer.pk)
    else:
        form = forms.CustomerForm.for_customer(customer)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "customers/customer_form.html",
        {"form": form, "customer": customer},
        status=status,
    )


@staff_required
@require_POST
def identity_add(request: StaffRequest, pk: int) -> HttpResponse:
    customer = access_customer(request.user, pk)
    form = forms.IdentityForm(request.POST)
    if form.is_valid():
        try:
            identity = add_identity(
                customer,
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except (InvalidIdentity, IdentityTaken) as error:
            form.add_error("value", str(error))
        else:
            messages.success(request, _("%(value)s was added.") % {"value": identity.value})
            return redirect("customers:detail", customer.pk)
    context = detail_context(request, customer, identity_form=form)
    return render(request, "customers/customer_detail.html", context, status=400)


@staff_required
@require_POST
def identity_remove(request: StaffRequest, pk: int, identity_id: int) -> HttpResponse:
    user = request.user
    customer = access_customer(user, pk)
    identity = access_identity(user, customer, identity_id)
    remove_identity(identity)
    messages.success(request, _("%(value)s was removed.") % {"value": identity.value})
    return redirect("customers:detail", customer.pk)


@staff_required
@require_POST
def identity_confirm(request: StaffRequest, pk: int, identity_id: int) -> HttpResponse:
    """An agent checked that an unproven identity is the customer's."""
    user = request.user
    customer = access_customer(user, pk)
    identity = access_identity(user, customer, identity_id)
    form = forms.ConfirmIdentityForm(request.POST)
    if form.is_valid():
        confirm_identity(identity, by=user, reason=form.cleaned_data["reason"])
        messages.success(request, _("%(value)s is confirmed.") % {"value": identity.value})
    else:
        messages.error(request, _("Say how you checked that it is the customer's."))
    return redirect("customers:detail", customer.pk)


@staff_required
@require_POST
def identity_detach(request: StaffRequest, pk: int, identity_id: int) -> HttpResponse:
    """Move an identity that may be a stranger's to a customer of its own."""
    user = request.user
    customer = access_customer(user, pk)
    identity = access_identity(user, customer, identity_id)
    with transaction.atomic():
        moved = detach_identity(identity, by=user)
    messages.success(
        request,
        _("%(value)s now has a customer record of its own, marked as a possible match.")
        % {"value": identity.value},
    )
    return redirect("customers:detail", moved.pk)


@staff_required
@require_POST
def match_dismiss(request: StaffRequest, pk: int, match_id: int) -> HttpResponse:
    """Two records flagged as a possible match are different customers."""
    user = request.user
    customer = access_customer(user, pk)
    match = access_possible_match(user, customer, match_id)
    dismiss_possible_match(match, by=user)
    messages.success(request, _("Noted: these are different customers."))
    back = safe_next(
        request, request.POST.get("next"), default=reverse("customers:detail", args=[customer.pk])
    )
    return HttpResponseRedirect(back)


def _panel_case(user: User, customer: Customer, number: str) -> Case | None:
    """The case the panel is shown beside, if the user may see it and it is this customer's."""
    if not number:
        return None
    try:
        case = access_case(user, number)
    except Http404:
        return None
    return case if case.customer_id == customer.pk else None


def _render_panel(
    request: StaffRequest, customer: Customer, case: Case | None, **bound: Any
) -> HttpResponse:
    context = customer_panel_context(customer, user=request.user, exclude_case=case)
    context.update(bound)
    return render(request, PANEL, context, status=400 if bound else 200)


@staff_required
@require_POST
def fact_add(request: StaffRequest, pk: int) -> HttpResponse:
    """Remember a fact. From the panel beside a case (HTMX) the refreshed panel comes back;
    without JavaScript the browser goes back to `next`."""
    user = request.user
    customer = access_customer(user, pk)
    form = forms.KnownFactForm(request.POST)
    valid = form.is_valid()
    data = form.cleaned_data
    case = _panel_case(user, customer, data.get("case", ""))
    back = safe_next(
        request, data.get("next"), default=reverse("customers:detail", args=[customer.pk])
    )
    if valid:
        add_known_fact(
            customer,
            kind=data["kind"],
            label=data["label"],
            value=data["value"],
            source=data["source"],
            source_case_id=case.pk if case else None,
            by=user,
        )
        if is_htmx(request) and case is not None:
            return _render_panel(request, customer, case)
        messages.success(request, _("The fact was noted."))
        return HttpResponseRedirect(back)
    if is_htmx(request) and case is not None:
        return _render_panel(request, customer, case, fact_form=form)
    if case is None and back == reverse("customers:detail", args=[customer.pk]):
        context = detail_context(request, customer, fact_form=form)
        return render(request, "customers/customer_detail.html", context, status=400)
    messages.error(
        request,
        _("The fact was not noted: %(errors)s")
        % {"errors": " ".join(str(error) for errors in form.errors.values() for error in errors)},
    )
    return HttpResponseRedirect(back)


@staff_required
@require_POST
def fact_remove(request: StaffRequest, pk: int, fact_id: int) -> HttpResponse:
    user = request.user
    customer = access_customer(user, pk)
    fact = access_fact(user, customer, fact_id)
    remove_known_fact(fact)
    case = _panel_case(user, customer, request.POST.get("case", ""))
    if is_htmx(request) and case is not None:
        return _render_panel(request, customer, case)
    messages.success(request, _("The fact was removed."))
    back = safe_next(
        request, request.POST.get("next"), default=reverse("customers:detail", args=[customer.pk])
    )
    return HttpResponseRedirect(back)


@role_required(*MERGE_ROLES)
@require_http_methods(["GET", "POST"])
def customer_merge(request: StaffRequest, pk: int) -> HttpResponse:
    """Merge a duplicate into this customer: search for it, look at it, confirm."""
    user = request.user
    into = access_customer(user, pk)
    if into.pk != pk:
        return redirect("customers:merge", into.pk)
    search = forms.MergeSearchForm(request.GET or None)
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    results = list(for_list(find_customers(user, query).exclude(pk=into.pk))[:20]) if query else []
    form = forms.MergeForm(
        request.POST or None, initial={"duplicate": request.GET.get("duplicate")}
    )
    duplicate = None
    duplicate_id = request.POST.get("duplicate") or request.GET.get("duplicate")
    if duplicate_id and duplicate_id.isdigit():
        duplicate = visible_customers(user).filter(pk=int(duplicate_id)).exclude(pk=into.pk).first()
    if request.method == "POST" and form.is_valid():
        if duplicate is None:
            form.add_error(None, _("Choose the duplicate customer first."))
        else:
            try:
                with transaction.atomic():
                    merge_customers(duplicate, into=into, by=user)
            except MergeRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("%(duplicate)s was merged into %(customer)s.")
                    % {"duplicate": duplicate, "customer": into},
                )
                return redirect("customers:detail", into.pk)
    context = {
        "customer": into,
        "search": search,
        "query": query,
        "results": results,
        "duplicate": duplicate,
        "duplicate_identities": customer_identities(duplicate) if duplicate else [],
        "duplicate_facts": customer_facts(duplicate) if duplicate else [],
        "duplicate_cases": customer_cases(duplicate, user=user, limit=10) if duplicate else None,
        "form": form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "customers/customer_merge.html", context, status=status)
