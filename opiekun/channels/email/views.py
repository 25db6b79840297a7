"""Administrators' pages: mailboxes with their health, and the quarantine."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.requests import StaffRequest
from opiekun.channels.email.forms import MailboxForm
from opiekun.channels.email.inbound import retry_quarantined
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.selectors import (
    access_inbound_message,
    access_mailbox,
    quarantine_count,
    quarantined_messages,
    visible_mailboxes,
)
from opiekun.channels.email.services import save_mailbox


@staff_required
@require_GET
def mailbox_list(request: StaffRequest) -> HttpResponse:
    mailboxes = visible_mailboxes(request.user)
    return render(
        request,
        "email_channel/mailbox_list.html",
        {"mailboxes": mailboxes, "quarantined": quarantine_count()},
    )


def _mailbox_form(request: HttpRequest, mailbox: Mailbox | None) -> HttpResponse:
    form = MailboxForm(request.POST or None, instance=mailbox)
    if request.method == "POST" and form.is_valid():
        saved = save_mailbox(
            form.save(commit=False),
            secrets={
                name: form.cleaned_data.get(name)
                for name in ("password", "client_secret", "refresh_token")
            },
        )
        messages.success(request, _("Mailbox %(name)s saved.") % {"name": saved.name})
        return redirect("email_channel:mailbox_list")
    return render(request, "email_channel/mailbox_form.html", {"form": form, "mailbox": mailbox})


@staff_required
@require_http_methods(["GET", "POST"])
def mailbox_create(request: StaffRequest) -> HttpResponse:
    visible_mailboxes(request.user)  # refuses anyone but an administrator
    return _mailbox_form(request, None)


@staff_required
@require_http_methods(["GET", "POST"])
def mailbox_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _mailbox_form(request, access_mailbox(request.user, pk))


@staff_required
@require_GET
def quarantine(request: StaffRequest) -> HttpResponse:
    rows = quarantined_messages(request.user)[:200]
    return render(request, "email_channel/quarantine.html", {"rows": rows})


@staff_required
@require_POST
def retry(request: StaffRequest, pk: int) -> HttpResponse:
    row = access_inbound_message(request.user, pk)
    outcome = retry_quarantined(row)
    row.refresh_from_db()
    if outcome.status == InboundMessage.Status.QUARANTINED:
        messages.error(
            request, _("The message is still quarantined: %(error)s") % {"error": row.error}
        )
    else:
        messages.success(request, _("The message was processed."))
    if getattr(request, "htmx", False):  # set by django-htmx's middleware
        return render(request, "email_channel/partials/_quarantine_row.html", {"row": row})
    return redirect("email_channel:quarantine")


@staff_required
@require_GET
def raw_message(request: StaffRequest, pk: int) -> HttpResponse:
    row = access_inbound_message(request.user, pk)
    response = HttpResponse(bytes(row.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{row.pk}.eml"'
    return response
