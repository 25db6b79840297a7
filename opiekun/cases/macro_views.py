"""Managing macros: the list every staff member sees, and the create, edit and delete pages
for leads (their teams' macros), managers and admins (every macro, global ones too)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.models import User
from opiekun.accounts.requests import StaffRequest
from opiekun.cases.forms_macros import MacroForm
from opiekun.cases.macros import (
    access_macro,
    delete_macro,
    manageable_teams,
    may_create_macros,
    may_manage_global_macros,
    may_manage_macro,
    save_macro,
    visible_macros,
)
from opiekun.cases.models import Macro


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _back_to_list(request: HttpRequest) -> HttpResponse:
    url = reverse("macros:list")
    if _is_htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _form(request: HttpRequest, user: User, macro: Macro | None) -> MacroForm:
    initial = MacroForm.initial_for(macro) if macro is not None else {}
    return MacroForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        teams=manageable_teams(user),
        may_be_global=may_manage_global_macros(user),
    )


def _render_form(
    request: HttpRequest, form: MacroForm, macro: Macro | None, *, invalid: bool = False
) -> HttpResponse:
    template = "macros/partials/_form.html" if _is_htmx(request) else "macros/form.html"
    # HTMX does not swap 4xx responses, so the errors reach it with a 200.
    status = 400 if invalid and not _is_htmx(request) else 200
    action = (
        reverse("macros:edit", args=[macro.pk]) if macro is not None else reverse("macros:create")
    )
    return render(
        request, template, {"form": form, "macro": macro, "action": action}, status=status
    )


@staff_required
@require_GET
def macro_list(request: StaffRequest) -> HttpResponse:
    """Every macro the user may see; HTMX gets only the table (the name filter updates it)."""
    user = request.user
    query = request.GET.get("q", "").strip()[:100]
    macros = visible_macros(user)
    if query:
        macros = macros.filter(name__icontains=query)
    context: dict[str, Any] = {
        "rows": [
            {
                "macro": macro,
                "languages": sorted(t.language for t in macro.translations.all()),
                "may_manage": may_manage_macro(user, macro),
            }
            for macro in macros
        ],
        "may_create": may_create_macros(user),
        "query": query,
    }
    template = "macros/partials/_list.html" if _is_htmx(request) else "macros/list.html"
    return render(request, template, context)


@staff_required
@require_http_methods(["GET", "POST"])
@transaction.atomic
def macro_create(request: StaffRequest) -> HttpResponse:
    user = request.user
    if not may_create_macros(user):
        raise PermissionDenied
    form = _form(request, user, None)
    if request.method == "POST":
        if not form.is_valid():
            return _render_form(request, form, None, invalid=True)
        macro = save_macro(
            None,
            name=form.cleaned_data["name"],
            team=form.cleaned_data["team"],
            set_status=form.cleaned_data["set_status"],
            texts=form.texts(),
            by=user,
        )
        messages.success(request, _("Macro “%(name)s” was created.") % {"name": macro.name})
        return _back_to_list(request)
    return _render_form(request, form, None)


@staff_required
@require_http_methods(["GET", "POST"])
@transaction.atomic
def macro_edit(request: StaffRequest, pk: int) -> HttpResponse:
    user = request.user
    macro = access_macro(user, pk, manage=True, for_update=request.method == "POST")
    form = _form(request, user, macro)
    if request.method == "POST":
        if not form.is_valid():
            return _render_form(request, form, macro, invalid=True)
        save_macro(
            macro,
            name=form.cleaned_data["name"],
            team=form.cleaned_data["team"],
            set_status=form.cleaned_data["set_status"],
            texts=form.texts(),
            by=user,
        )
        messages.success(request, _("Macro “%(name)s” was saved.") % {"name": macro.name})
        return _back_to_list(request)
    return _render_form(request, form, macro)


@staff_required
@require_http_methods(["GET", "POST"])
@transaction.atomic
def macro_delete(request: StaffRequest, pk: int) -> HttpResponse:
    """Ask (GET), then delete (POST)."""
    user = request.user
    macro = access_macro(user, pk, manage=True, for_update=request.method == "POST")
    if request.method == "POST":
        name = macro.name
        delete_macro(macro, by=user)
        messages.success(request, _("Macro “%(name)s” was deleted.") % {"name": name})
        return _back_to_list(request)
    return render(request, "macros/confirm_delete.html", {"macro": macro})
