"""Customers sign in with a one-time link and write to us from the portal."""

import hashlib
import logging
import math
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.tasks import Task
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from opiekun.cases.models import Case, Channel, Event, Interaction
from opiekun.cases.services import Contact, CustomerMessage, bring_in, send_to_customer
from opiekun.channels.email.outbound import send_acknowledgement
from opiekun.core.emails import SKIPPED, deliver_email, render_email
from opiekun.core.errors import Refused
from opiekun.customers.models import Customer, Identity
from opiekun.customers.services import InvalidIdentity, current_record, normalise_email
from opiekun.portal.models import SignInLink, StatusEmail
from opiekun.portal.selectors import earlier_request, plain_status, team_for_new_request

logger = logging.getLogger(__name__)


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
    know. The link is emailed from the task queue after commit, so the answer never waits for
    the mail server. Returns whether a link was made (for tests and logs only)."""
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
    salt = secrets.token_urlsafe(32)
    with transaction.atomic():
        link = SignInLink.objects.create(
            customer=current_record(identity.customer),
            email=address,
            salt=salt,
            digest=_digest(salt),  # until the row has the id that the token is made of
            expires_at=timezone.now() + timedelta(minutes=settings.PORTAL_LINK_MINUTES),
        )
        link.digest = _digest(_link_token(link))
        link.save(update_fields=["digest"])
        # Only the id goes into the task table: the task rebuilds the token from the row.
        pk = link.pk
        transaction.on_commit(lambda: _enqueue_sign_in_link(pk))
    return True


def _enqueue_sign_in_link(link_id: int) -> None:
    from opiekun.portal.tasks import send_sign_in_link  # tasks.py builds on this module

    send_sign_in_link.enqueue(link_id)


def _link_token(link: SignInLink) -> str:
    """The token in a sign-in link: derivable from the row only with SECRET_KEY."""
    mac = salted_hmac("opiekun.portal.SignInLink", f"{link.pk}:{link.salt}", algorithm="sha256")
    return urlsafe_base64_encode(mac.digest())


def email_sign_in_link(link_id: int, *, attempt: int, retry: Task[..., str]) -> str:
    """Email a sign-in link in the customer's language, while it can still be used (the work
    of the `send_sign_in_link` task, which `retry` enqueues again after a failure).

    Retried with backoff like every `core.emails` message, and at least once like them.
    Returns "sent", "retry", "failed" or "skipped" (used, expired or deleted since).
    """
    link = SignInLink.objects.select_related("customer").filter(pk=link_id).first()
    now = timezone.now()
    if link is None or link.used_at is not None or link.expires_at <= now:
        return SKIPPED
    token = _link_token(link)
    if _digest(token) != link.digest:
        # SECRET_KEY changed since the link was made: the rebuilt link would not work.
        logger.warning("Sign-in link %s not sent: it cannot be rebuilt", link.pk)
        return SKIPPED
    email = render_email(
        "portal_sign_in",
        to=link.email,
        language=current_record(link.customer).language,
        context={
            "link": settings.SITE_URL + reverse("portal:sign_in", args=[token]),
            "minutes": math.ceil((link.expires_at - now).total_seconds() / 60),
        },
    )
    return deliver_email(email, attempt=attempt, retry=retry, args=(link_id,))


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


def set_customer_language(customer: Customer, *, language: str) -> Customer:
    """The language the customer reads the portal and our messages in."""
    customer.language = language
    customer.save(update_fields=["language", "updated_at"])
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
    message = CustomerMessage(channel=Channel.PORTAL, body_text=body_text, attachments=tuple(files))
    return bring_in([Contact(customer=customer, message=message, case=case)])[0].interaction


class PortalError(Refused):
    pass


@transaction.atomic
def open_request_from_portal(
    customer: Customer,
    *,
    subject: str,
    body_text: str,
    kind: str = "",
    files: Iterable[tuple[str, bytes, str]] = (),
) -> Case:
    """Open a case with the customer's message and files, like the web form does, and
    acknowledge it by email after commit; the same request sent again moments later gives
    the case the first one opened."""
    earlier = earlier_request(customer, subject=subject, body_text=body_text)
    if earlier is not None:
        return earlier
    team = team_for_new_request(customer)
    if team is None:
        raise PortalError(_("We cannot take new requests here yet. Please write to us by email."))
    message = CustomerMessage(
        channel=Channel.PORTAL, subject=subject, body_text=body_text, attachments=tuple(files)
    )
    contact = Contact(
        customer=customer, message=message, team=team, subject=subject,
        kind=kind or Case.Kind.QUESTION, language=customer.language,
    )  # fmt: skip
    case = bring_in([contact])[0].case
    email = customer.primary_email()
    if email:
        send_acknowledgement(case, to=email)
    return case


@transaction.atomic
def notify_status_change(case: Case) -> bool:
    """Write to the customer that their case changed status, if that status is set to notify:
    a message on the case timeline, delivered by email after commit (retried there).

    Safe to run twice, also at once from two workers: a status already told since the case
    last changed status is not told again."""
    if _already_told(case):
        return False
    setting = StatusEmail.objects.filter(status=case.status).first()
    if setting is not None and not setting.enabled:
        return False
    if setting is None and case.status not in DEFAULT_NOTIFY:
        return False
    if not case.customer.primary_email():
        return False
    with translation.override(case.customer.language):
        label, explanation = plain_status(case)
        body = _("%(explanation)s\n\nSee your case: %(link)s") % {
            "explanation": explanation,
            "link": settings.SITE_URL + reverse("portal:start"),
        }
    send_to_customer(
        case, by=None, body_text=body, subject=label, meta={"auto": "status", "status": case.status}
    )
    return True


def _already_told(case: Case) -> bool:
    # Lock the case so that two runs of the same task take turns.
    Case.objects.select_for_update().filter(pk=case.pk).exists()
    since = (
        Event.objects.filter(case=case, kind=Event.Kind.STATUS)
        .order_by("-created_at", "-id")
        .values_list("created_at", flat=True)
        .first()
    )
    told = Interaction.objects.filter(
        case=case,
        direction=Interaction.Direction.OUTBOUND,
        meta__auto="status",
        meta__status=case.status,
    )
    if since is not None:
        told = told.filter(created_at__gte=since)
    return told.exists()


DEFAULT_NOTIFY = {Case.Status.PENDING_CUSTOMER, Case.Status.RESOLVED, Case.Status.CLOSED}
