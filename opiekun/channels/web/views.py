"""The public contact form, embeddable on the team's own website."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from opiekun.channels.web.forms import PublicContactForm
from opiekun.channels.web.inbound import submit, within_rate
from opiekun.channels.web.models import ContactForm
from opiekun.core.kept_files import as_files, forget, keep_for_next_try, kept


# Anonymous and often inside another site's iframe, where the CSRF cookie is not sent; it
# changes no signed-in state. The honeypot and the rate limit keep bots out.
@csrf_exempt
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    contact_form = get_object_or_404(ContactForm, slug=slug, is_active=True)
    # An embedding site may pick the language: /contact/<slug>/?language=et
    chosen = request.GET.get("language", "")
    if chosen in dict(settings.LANGUAGES):
        translation.activate(chosen)
    language = translation.get_language() or "en"
    form = PublicContactForm(request.POST or None, request.FILES or None, contact_form=contact_form)
    kept_before = kept(request.POST.get("kept", ""))
    status = 200
    template = "web/contact.html"
    if request.method == "POST":
        if not within_rate(str(request.META.get("REMOTE_ADDR", ""))):
            form.add_error(None, _("Too many messages from your address. Try again in an hour."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            if data.get("website"):
                # A bot filled in the hidden field: thank it and keep nothing.
                return _framed(render(request, "web/thanks.html", {"number": None}), contact_form)
            case = submit(
                contact_form,
                name=data["name"],
                email=data["email"],
                subject=data["subject"],
                message_text=data["message"],
                language=language[:2],
                phone=data.get("phone", ""),
                order=data.get("order", ""),
                kind=data.get("kind", ""),
                files=[
                    (upload.name or "file", upload.read(), upload.content_type or "")
                    for upload in data.get("attachments", [])
                ]
                + as_files(kept_before),
            )
            forget(kept_before)
            return _framed(
                render(request, "web/thanks.html", {"number": case.number}), contact_form
            )
        else:
            status = 400
    context = {"form": form, "contact_form": contact_form}
    if request.method == "POST":
        # A browser cannot put chosen files back into the form: we keep them for the next try.
        token = keep_for_next_try(request.FILES.getlist("attachments"), form, kept_before)
        context |= {"kept_token": token, "kept_files": kept(token)}
    response = render(request, template, context, status=status)
    return _framed(response, contact_form)


def _framed(response: HttpResponse, contact_form: ContactForm) -> HttpResponse:
    """Let only the websites named on the form embed it."""
    policy = dict(settings.SECURE_CSP)
    policy["frame-ancestors"] = [CSP.SELF, *contact_form.allowed_origins]
    policy["form-action"] = [CSP.SELF]
    response._csp_config = policy  # type: ignore[attr-defined]
    return response
