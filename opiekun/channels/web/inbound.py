"""Web form → case: the visitor becomes (or is matched to) a customer, the message opens a
case, and an acknowledgement with a portal link goes to the address they gave, through the
email channel's queue (on the timeline, retried while the mail server is away)."""

from collections.abc import Iterable
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from opiekun.cases.models import Case, Channel
from opiekun.cases.services import Contact, CustomerMessage, Fact, bring_in
from opiekun.channels.email.outbound import send_acknowledgement
from opiekun.channels.web.models import ContactForm
from opiekun.customers.models import Identity, KnownFact
from opiekun.customers.services import (
    InvalidIdentity,
    current_record,
    find_or_create_customer,
    normalise_email,
)

SUBMISSIONS_PER_HOUR = 5
# A visitor who sends the same message again (a double click, a reload, no answer seen
# because the page was slow) gets the case the first one opened.
RESUBMISSION_WINDOW = timedelta(minutes=30)


def within_rate(client_ip: str) -> bool:
    """At most SUBMISSIONS_PER_HOUR submissions from one address an hour."""
    bucket = f"web-form:{client_ip}:{timezone.now():%Y%m%d%H}"
    cache.add(bucket, 0, timeout=3600)
    return cache.incr(bucket) <= SUBMISSIONS_PER_HOUR


def earlier_submission(*, email: str, subject: str, message: str) -> Case | None:
    """The case a web-form message with the same address, subject and text opened within
    RESUBMISSION_WINDOW, if any."""
    try:
        address = normalise_email(email)
    except InvalidIdentity:
        return None
    identity = Identity.objects.filter(kind=Identity.Kind.EMAIL, value=address).first()
    if identity is None:
        return None
    return (
        Case.objects.filter(
            customer=current_record(identity.customer),
            channel=Channel.WEB,
            created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
            subject=subject[:300],
            interactions__channel=Channel.WEB,
            interactions__body_text=message,
        )
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def submit(
    contact_form: ContactForm,
    *,
    name: str,
    email: str,
    subject: str,
    message_text: str,
    language: str,
    phone: str = "",
    order: str = "",
    kind: str = "",
    files: Iterable[tuple[str, bytes, str]] = (),
) -> Case:
    """Open a case for the message (or return the one the same message opened moments ago)
    and acknowledge it after commit; nothing here waits for the mail server."""
    earlier = earlier_submission(email=email, subject=subject, message=message_text)
    if earlier is not None:
        return earlier
    # Anyone may type anything here: what the visitor gives never joins someone else's record.
    customer = find_or_create_customer(
        email=email, phone=phone, name=name, language=language, channel=Channel.WEB
    )
    message = CustomerMessage(
        channel=Channel.WEB, subject=subject, body_text=message_text,
        meta={"form": contact_form.slug}, attachments=tuple(files),
    )  # fmt: skip
    facts = (Fact(KnownFact.Kind.ORDER, order, source=str(Channel.WEB.label)),) if order else ()
    contact = Contact(
        customer=customer, message=message, team=contact_form.team, subject=subject,
        kind=kind or contact_form.default_kind, language=language, facts=facts,
    )  # fmt: skip
    case = bring_in([contact])[0].case
    send_acknowledgement(case, to=email)
    return case
