"""The customer portal. Customers have no password: a one-time link signs them in, and the
session then carries only their customer id."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opiekun.cases.files import serve_attachment
from opiekun.cases.models import Case
from opiekun.complaints.models import Complaint
from opiekun.complaints.services import ComplaintError, confirm_understanding, correct_understanding
from opiekun.core.kept_files import as_files, forget, keep_for_next_try, kept
from opiekun.customers.models import Customer
from opiekun.portal.forms import (
    CorrectionForm,
    EmailForm,
    LanguageForm,
    NewRequestForm,
    ReplyForm,
)
from opiekun.portal.selectors import (
    access_customer_attachment,
    access_customer_case,
    customer_cases,
    next_step,
    plain_status,
    public_interactions,
)
from opiekun.portal.services import (
    PortalError,
    open_request_from_portal,
    redeem_sign_in_link,
    reply_from_portal,
    request_sign_in_link,
    set_customer_language,
)

SESSION_KEY = "portal_customer"
# The customer's identity version at sign-in: a change to their identities ends the session.
VERSION_KEY = "portal_identity_version"

CustomerView = Callable[..., HttpResponseBase]


def customer_required(view: CustomerView) -> CustomerView:
    """Pass the signed-in customer to the view, in their language; otherwise ask for a link."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        customer_id = request.session.get(SESSION_KEY)
        customer = (
            Customer.objects.filter(pk=customer_id, merged_into__isnull=True).first()
            if isinstance(customer_id, int)
            else None
        )
        if customer is None:
            return redirect("portal:start")
        if request.session.get(VERSION_KEY) != customer.identity_version:
            request.session.flush()
            return redirect("portal:start")
        request.LANGUAGE_CODE = customer.language
        # Override, not activate: the language must not outlive the request in this thread.
        with translation.override(customer.language):
            return view(request, customer, *args, **kwargs)

    return wrapper


def _client_ip(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        request_sign_in_link(form.cleaned_data["email"], client_ip=_client_ip(request))
        # The same answer whether or not we know the address.
        return render(request, "portal/link_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "portal/start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners that open links must not use up the link.
    if request.method == "GET":
        return render(request, "portal/sign_in.html", {"token": token})
    customer = redeem_sign_in_link(token)
    if customer is None:
        return render(request, "portal/link_invalid.html", {"form": EmailForm()}, status=410)
    request.session.cycle_key()
    request.session[SESSION_KEY] = customer.pk
    request.session[VERSION_KEY] = customer.identity_version
    request.session["language"] = customer.language
    return redirect("portal:cases")


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("portal:start")


@require_GET
@customer_required
def cases(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Open cases first; resolved and closed ones folded below them."""
    rows = [(case, plain_status(case)) for case in customer_cases(customer)[:200]]
    done = {Case.Status.RESOLVED, Case.Status.CLOSED}
    context = {
        "customer": customer,
        "rows": [row for row in rows if row[0].status not in done],
        "closed_rows": [row for row in rows if row[0].status in done],
        "language_form": LanguageForm(initial={"language": customer.language}),
    }
    return render(request, "portal/cases.html", context)


@require_POST
@customer_required
def language(request: HttpRequest, customer: Customer) -> HttpResponse:
    """The customer chooses the language of the portal and of our messages to them."""
    form = LanguageForm(request.POST)
    if form.is_valid():
        set_customer_language(customer, language=form.cleaned_data["language"])
        request.session["language"] = customer.language
    return redirect("portal:cases")


def _kept_for_next_try(request: HttpRequest, form: NewRequestForm | ReplyForm) -> dict[str, object]:
    """A form shown again keeps the files chosen for it: a browser cannot put them back."""
    token = keep_for_next_try(
        request.FILES.getlist("attachments"), form, kept(request.POST.get("kept", ""))
    )
    return {"kept_token": token, "kept_files": kept(token)}


def _uploads(
    request: HttpRequest, form: NewRequestForm | ReplyForm
) -> list[tuple[str, bytes, str]]:
    """This try's files and those kept from an earlier one (forgotten once sent)."""
    return [
        (upload.name or "file", upload.read(), upload.content_type or "")
        for upload in form.cleaned_data["attachments"]
    ] + as_files(kept(request.POST.get("kept", "")))


@require_http_methods(["GET", "POST"])
@customer_required
def new_request(request: HttpRequest, customer: Customer) -> HttpResponse:
    """A new case from the customer: subject, message, files; acknowledged by email."""
    form = NewRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = open_request_from_portal(
                customer, subject=data["subject"], body_text=data["body_text"],
                kind=data["kind"], files=_uploads(request, form),
            )  # fmt: skip
            forget(kept(request.POST.get("kept", "")))
        except PortalError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Thank you, we have your request. Its case number is %(number)s; we have "
                    "sent a confirmation to your email address too."
                )
                % {"number": case.number},
            )
            return redirect("portal:case", number=case.number)
    context = {
        "customer": customer,
        "form": form,
        **(_kept_for_next_try(request, form) if form.is_bound else {}),
    }
    return render(request, "portal/new_request.html", context, status=400 if form.is_bound else 200)


def _case_page(
    request: HttpRequest, customer: Customer, number: str, *, form: ReplyForm | None = None
) -> HttpResponse:
    case = access_customer_case(customer, number)
    complaint = Complaint.objects.filter(case=case).first()
    context = {
        "customer": customer,
        "case": case,
        "status": plain_status(case),
        "next_step": next_step(case),
        "interactions": public_interactions(case),
        "commitments": case.commitments.filter(visible_to_customer=True),
        "complaint": complaint,
        "form": form or ReplyForm(),
        **(_kept_for_next_try(request, form) if form else {}),
        "correction_form": CorrectionForm(),
    }
    return render(request, "portal/case.html", context, status=400 if form else 200)


@require_GET
@customer_required
def case_detail(request: HttpRequest, customer: Customer, number: str) -> HttpResponse:
    return _case_page(request, customer, number)


@require_POST
@customer_required
def reply(request: HttpRequest, customer: Customer, number: str) -> HttpResponse:
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, customer, number, form=form)
    with transaction.atomic():
        case = access_customer_case(customer, number)
        reply_from_portal(
            case,
            customer=customer,
            body_text=form.cleaned_data["body_text"],
            files=_uploads(request, form),
        )
    forget(kept(request.POST.get("kept", "")))
    messages.success(request, _("Thank you, we have your message."))
    return redirect("portal:case", number=case.number)


@require_GET
@customer_required
def attachment(request: HttpRequest, customer: Customer, number: str, pk: int) -> HttpResponseBase:
    return serve_attachment(access_customer_attachment(customer, number, pk))


@require_POST
@customer_required
def confirm(request: HttpRequest, customer: Customer, number: str) -> HttpResponse:
    """The customer confirms or corrects our understanding of their complaint."""
    with transaction.atomic():
        case = access_customer_case(customer, number)
        complaint = Complaint.objects.select_for_update().filter(case=case).first()
        if complaint is None:
            return redirect("portal:case", number=case.number)
        try:
            if request.POST.get("answer") == "correct":
                form = CorrectionForm(request.POST)
                if form.is_valid():
                    correct_understanding(
                        complaint, correction=form.cleaned_data["correction"], via="portal"
                    )
                    messages.success(request, _("Thank you, we will look at it again."))
            else:
                confirm_understanding(complaint, via=Complaint.ConfirmedVia.PORTAL)
                messages.success(request, _("Thank you for confirming."))
        except ComplaintError as error:
            messages.error(request, str(error))
    return redirect("portal:case", number=case.number)
