"""Web form → case: the visitor becomes (or is matched to) a customer, the message opens a
case, and an acknowledgement with a portal link goes to the address they gave."""

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.services import add_interaction, open_case, store_attachment
from opiekun.channels.web.models import ContactForm
from opiekun.customers.models import KnownFact
from opiekun.customers.services import add_known_fact, find_or_create_customer

SUBMISSIONS_PER_HOUR = 5


def within_rate(client_ip: str) -> bool:
    """At most SUBMISSIONS_PER_HOUR submissions from one address an hour."""
    bucket = f"web-form:{client_ip}:{timezone.now():%Y%m%d%H}"
    cache.add(bucket, 0, timeout=3600)
    return cache.incr(bucket) <= SUBMISSIONS_PER_HOUR


@transaction.atomic
def submit(
    contact_form: ContactForm,
    *,
    name: str,
    email: str,
    subject: str,
    message: str,
    language: str,
    phone: str = "",
    order: str = "",
    kind: str = "",
    files: Iterable[tuple[str, bytes, str]] = (),
) -> Case:
    # Anyone may type anything here: what the visitor gives never joins someone else's record.
    customer = find_or_create_customer(
        email=email, phone=phone, name=name, language=language, channel=Channel.WEB
    )
    case = open_case(
        customer=customer,
        team=contact_form.team,
        subject=subject,
        channel=Channel.WEB,
        kind=kind or contact_form.default_kind,
        language=language,
    )
    interaction = add_interaction(
        case,
        channel=Channel.WEB,
        direction=Interaction.Direction.INBOUND,
        subject=subject,
        body_text=message,
        customer=customer,
        meta={"form": contact_form.slug},
    )
    for filename, content, content_type in files:
        store_attachment(interaction, filename=filename, content=content, content_type=content_type)
    if order:
        add_known_fact(
            customer,
            kind=KnownFact.Kind.ORDER,
            value=order,
            source=_("web form, case %(number)s") % {"number": case.number},
            source_case_id=case.pk,
        )
    transaction.on_commit(lambda: acknowledge(case, to=email))
    return case


def acknowledge(case: Case, *, to: str) -> None:
    """Tell the customer we have their message, its case number, and where to follow it."""
    with translation.override(case.customer.language):
        subject = _("[#%(number)s] We have your message") % {"number": case.number}
        body = _(
            "Hello,\n\nthank you for writing to us. Your case number is %(number)s.\n"
            "You can follow it and write to us here: %(link)s\n"
        ) % {"number": case.number, "link": settings.SITE_URL + reverse("portal:start")}
    EmailMessage(
        subject,
        body,
        case.team.email or settings.DEFAULT_FROM_EMAIL,
        [to],
        headers={"Auto-Submitted": "auto-replied"},
    ).send()
