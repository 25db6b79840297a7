"""Writing on a case: replies to the customer, internal notes, macros, retrying a failed
delivery, and opening attachments."""

from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiekun.accounts.decorators import staff_required
from opiekun.accounts.requests import StaffRequest
from opiekun.cases import forms, services
from opiekun.cases.files import serve_attachment
from opiekun.cases.macros import macro_status, macros_for, render_macro
from opiekun.cases.selectors import (
    access_attachment,
    access_case,
    access_interaction,
    others_replying,
)
from opiekun.cases.services import AttachmentTooLarge, SomeoneElseReplying
from opiekun.cases.views.common import (
    control_forms,
    is_htmx,
    macro_then,
    render_case,
    timeline_context,
)


def _written(request: StaffRequest, case_number: str, *, which: str = "") -> HttpResponse:
    """After a reply or note: with HTMX, fresh forms and the timeline (after a reply also the
    header and the side panel, which it may change: status, assignee); else back to the
    page."""
    case = access_case(request.user, case_number)
    if not is_htmx(request):
        return redirect(case)
    context = {
        "case": case,
        **timeline_context(case),
        "which": which,
        "reply_form": forms.ReplyForm(),
        "note_form": forms.NoteForm(),
        "macro_form": forms.MacroForm(macros=macros_for(case)),
        "replying": others_replying(case, request.user),
        "oob": True,
    }
    if which == "reply":
        context.update(control_forms(case, request.user))
    return render(request, "cases/partials/_compose_response.html", context)


def _refused(request: StaffRequest, number: str, *, status: int, **bound: object) -> HttpResponse:
    case = access_case(request.user, number)
    if is_htmx(request):
        # HTMX swaps only successful responses; the form with its errors is the answer. The
        # file input the agent filled is kept as it is (hx-preserve): a browser cannot put
        # chosen files into a new input, so the page keeps the old one.
        reply_form = bound.get("reply_form")
        if not isinstance(reply_form, forms.ReplyForm):
            reply_form = forms.ReplyForm()
        reply_form.fields["attachments"].widget.attrs["hx-preserve"] = "true"
        return render(
            request,
            "cases/partials/_reply_form.html",
            {
                "case": case,
                "reply_form": reply_form,
                "macro_form": forms.MacroForm(macros=macros_for(case)),
                "replying": others_replying(case, request.user),
                "oob": True,
            },
        )
    return render_case(request, case, status=status, **bound)


@staff_required
@require_POST
def reply(request: StaffRequest, number: str) -> HttpResponse:
    user = request.user
    form = forms.ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        access_case(user, number)
        return _refused(request, number, status=400, reply_form=form)
    files = [
        (upload.name or "attachment", upload.read(), upload.content_type or "")
        for upload in form.cleaned_data["attachments"]
    ]
    try:
        with transaction.atomic():
            case = access_case(user, number, for_update=True)
            # A "Send and set…" button the agent pressed wins over the macro's ticked status.
            then_status = form.cleaned_data["then_status"]
            if not then_status and form.cleaned_data["macro_id"]:
                macro = macros_for(case).filter(pk=form.cleaned_data["macro_id"]).first()
                then_status = macro_status(macro) if macro is not None else ""
            services.reply_from_desk(
                case,
                by=user,
                body_text=form.cleaned_data["body"],
                attachments=files,
                send_anyway=form.cleaned_data["send_anyway"],
                then_status=then_status,
            )
    except SomeoneElseReplying:
        form.add_error(None, forms.someone_replying_message())
        return _refused(request, number, status=409, reply_form=form)
    except AttachmentTooLarge as error:
        form.add_error("attachments", str(error))
        return _refused(request, number, status=400, reply_form=form)
    return _written(request, case.number, which="reply")


@staff_required
@require_POST
def note(request: StaffRequest, number: str) -> HttpResponse:
    user = request.user
    form = forms.NoteForm(request.POST)
    with transaction.atomic():
        case = access_case(user, number, for_update=True)
        if form.is_valid():
            services.add_note(case, by=user, body_text=form.cleaned_data["body"])
    if not form.is_valid():
        if is_htmx(request):
            # The note form swaps nothing itself: its section comes back out of band.
            return render(
                request,
                "cases/partials/_note_form.html",
                {"case": case, "note_form": form, "oob": True},
            )
        return render_case(request, case, status=400, note_form=form)
    return _written(request, case.number, which="note")


@staff_required
@require_http_methods(["GET", "POST"])
def insert_macro(request: StaffRequest, number: str) -> HttpResponse:
    """Put a macro's text, filled in for this case, into the reply box. Changes nothing: HTMX
    asks with GET; without JavaScript the reply form posts here (its "Insert" button)."""
    user = request.user
    case = access_case(user, number)
    data = request.POST if request.method == "POST" else request.GET
    macro_form = forms.MacroForm(data, macros=macros_for(case))
    text, macro_id = "", data.get("macro_id", "")
    macro = macro_form.cleaned_data["macro"] if macro_form.is_valid() else None
    if macro is not None:
        text, macro_id = render_macro(macro, case=case, agent=user), macro.pk
    existing = data.get("body", "")
    body = f"{existing.rstrip()}\n\n{text}".strip() if existing.strip() else text
    reply_form = forms.ReplyForm(initial={"body": body, "macro_id": macro_id})
    if is_htmx(request):
        return render(
            request,
            "cases/partials/_reply_form.html",
            {
                "case": case,
                "reply_form": reply_form,
                "macro_form": forms.MacroForm(macros=macros_for(case)),
                "macro_then": macro_then(case, reply_form),
                "replying": others_replying(case, user),
                "oob": True,
            },
        )
    return render_case(request, case, reply_form=reply_form, macro_form=macro_form)


@staff_required
@require_POST
def retry(request: StaffRequest, number: str, interaction_id: int) -> HttpResponse:
    """Queue a failed reply again."""
    user = request.user
    with transaction.atomic():
        case = access_case(user, number, for_update=True)
        interaction = access_interaction(user, case, interaction_id)
        services.retry_delivery(interaction, by=user)
    return _written(request, case.number, which="")


@staff_required
@require_GET
def attachment(request: StaffRequest, number: str, attachment_id: int) -> FileResponse:
    """A file of a case the user may see, served by the one rule (opiekun.cases.files)."""
    return serve_attachment(access_attachment(request.user, number, attachment_id))
