"""Customers sign in with a one-time link and write to us from the portal."""

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opiekun.cases.models import Case, Channel, Interaction
from opiekun.cases.services import add_interaction, store_attachment
from opiekun.customers.models import Customer, Identity
from opiekun.customers.services import InvalidIdentity, current_record, normalise_email
from opiekun.portal.models import SignInLink, StatusEmail


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _within_rate(key: str, limit: int) -> bool:
    """Count one use of `key` in the current hour; False once `limit` is passed."""
    bucket = f"portal-rate:{key}:{timezone.now():%Y%m%d%H}"
    cache.add(bucket, 0, timeout=3600)
    return cache.incr(bucket) <= limit


def request_sign_in_link(email: str, *, client_ip: str) -> bool:
    """Email a one-time link if the address belongs to a customer and opens the portal (an
    address attached without proof may be a stranger's, so it opens nothing).

    The caller shows the same answer whatever happens, so nobody learns which addresses we
    know. Returns whether a link was sent (for tests and logs only)."""
    try:
        address = normalise_email(email)
    except InvalidIdentity:
        return False
    limit = settings.PORTAL_LINKS_PER_HOUR
    email_key = _digest(address)[:16]
    if not _within_rate(f"ip:{client_ip}", limit * 4) or not _within_rate(f"e:{email_key}", limit):
        return False
    identity = (
        Identity.objects.select_related("customer")
        .filter(kind=Identity.Kind.EMAIL, value=address)
        .first()
    )
    if identity is None or not identity.opens_portal:
        return False
    customer = current_record(identity.customer)
    raw = secrets.token_urlsafe(32)
    SignInLink.objects.create(
        customer=customer,
        email=address,
        digest=_digest(raw),
        expires_at=timezone.now() + timedelta(minutes=settings.PORTAL_LINK_MINUTES),
    )
    link = settings.SITE_URL + reverse("portal:sign_in", args=[raw])
    with translation.override(customer.language):
        subject = _("Your link to your cases")
        body = _(
            "Hello,\n\nopen this link to see your cases and write to us:\n\n%(link)s\n\n"
            "The link works once, for %(minutes)s minutes. If you did not ask for it, ignore "
            "this email."
        ) % {"link": link, "minutes": settings.PORTAL_LINK_MINUTES}
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True


@transaction.atomic
def redeem_sign_in_link(raw: str) -> Customer | None:
    """The customer the link signs in, once; None for an unknown, used or expired link, or
    one whose address no longer opens that customer's portal.

    Using the link proves the address is the customer's: one only given in a form is proven
    from now on."""
    link = (
        SignInLink.objects.select_for_update()
        .select_related("customer")
        .filter(digest=_digest(raw))
        .first()
    )
    now = timezone.now()
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    link.used_at = now
    link.save(update_fields=["used_at"])
    customer = current_record(link.customer)
    identity = Identity.objects.filter(
        customer=customer, kind=Identity.Kind.EMAIL, value=link.email
    ).first()
    if identity is None or not identity.opens_portal:
        return None
    if identity.proof in {Identity.Proof.GIVEN, Identity.Proof.EARLIER}:
        identity.proof = Identity.Proof.LINK
        identity.proven_at = now
        identity.save(update_fields=["proof", "proven_at"])
    return customer


@transaction.atomic
def reply_from_portal(
    case: Case,
    *,
    customer: Customer,
    body_text: str,
    files: Iterable[tuple[str, bytes, str]] = (),
) -> Interaction:
    """The customer's message, with files, on the case timeline."""
    interaction = add_interaction(
        case,
        channel=Channel.PORTAL,
        direction=Interaction.Direction.INBOUND,
        body_text=body_text,
        customer=customer,
    )
    for filename, content, content_type in files:
        store_attachment(interaction, filename=filename, content=content, content_type=content_type)
    return interaction


def notify_status_change(case: Case) -> bool:
    """Email the customer that their case changed status, if that status is set to notify."""
    setting = StatusEmail.objects.filter(status=case.status).first()
    if setting is not None and not setting.enabled:
        return False
    if setting is None and case.status not in DEFAULT_NOTIFY:
        return False
    address = case.customer.primary_email()
    if not address:
        return False
    from opiekun.portal.selectors import plain_status

    with translation.override(case.customer.language):
        label, explanation = plain_status(case)
        subject = _("[#%(number)s] %(status)s") % {"number": case.number, "status": label}
        body = _("%(explanation)s\n\nSee your case: %(link)s") % {
            "explanation": explanation,
            "link": settings.SITE_URL + reverse("portal:start"),
        }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return True


DEFAULT_NOTIFY = {Case.Status.PENDING_CUSTOMER, Case.Status.RESOLVED, Case.Status.CLOSED}
