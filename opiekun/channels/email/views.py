"""Administrators' pages: mailboxes with their health, and the quarantine."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.requests import StaffRequest
from opiekun.channels.email.forms import MailboxForm
from opiekun.channels.email.inbound import retry_quarantined
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.channels.email.outbox import (
    attachment,
    kept_message,
    kept_messages,
    outbox_enabled,
    parts,
)
from opiekun.channels.email.selectors import (
    access_inbound_message,
    access_mailbox,
    quarantine_count,
    quarantined_messages,
    uncertain_delivery_count,
    visible_mailboxes,
)
from opiekun.channels.email.services import save_mailbox
from opiekun.core.sanitise import sanitise_html


@staff_required
@require_GET
def mailbox_list(request: StaffRequest) -> HttpResponse:
    mailboxes = visible_mailboxes(request.user)
    return render(
        request,
        "email_channel/mailbox_list.html",
        {
            "mailboxes": mailboxes,
            "quarantined": quarantine_count(),
            "uncertain": uncertain_delivery_count(),
        },
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
def raw_message(request: StaffRequest, pk: int) -> HttpResponse | FileResponse:
    row = access_inbound_message(request.user, pk)
    if row.raw_file:  # over the size limit: kept on disk, streamed from there
        return FileResponse(
            row.raw_file.open("rb"),
            as_attachment=True,
            filename=f"message-{row.pk}.eml",
            content_type="message/rfc822",
        )
    response = HttpResponse(bytes(row.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="message-{row.pk}.eml"'
    return response


def _outbox_or_404() -> None:
    if not outbox_enabled():
        raise Http404("No development outbox")


@staff_required
@require_GET
def outbox(request: StaffRequest) -> HttpResponse:
    """The development outbox: every email this installation would have sent."""
    _outbox_or_404()
    return render(request, "email_channel/outbox.html", {"messages_kept": kept_messages()})


@staff_required
@require_GET
def outbox_message(request: StaffRequest, name: str) -> HttpResponse:
    _outbox_or_404()
    kept = kept_message(name)
    if kept is None:
        raise Http404("No such message")
    text, html, files = parts(kept.message)
    context = {
        "kept": kept,
        "text": text,
        # Cleaned like any HTML from outside, so its links can be followed here.
        "html": mark_safe(sanitise_html(html)) if html.strip() else "",  # noqa: S308
        "files": files,
    }
    return render(request, "email_channel/outbox_message.html", context)


@staff_required
@require_GET
def outbox_attachment(request: StaffRequest, name: str, index: int) -> HttpResponse:
    _outbox_or_404()
    kept = kept_message(name)
    found = attachment(kept.message, index) if kept is not None else None
    if found is None:
        raise Http404("No such file")
    filename, _content_type, content = found
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
