"""Replies → email: threading headers, the case number in the subject, the customer's language."""

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from opiekun.cases.models import Interaction
from opiekun.cases.services import mark_delivery


def message_id_for(interaction: Interaction) -> str:
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">") or "opiekun.local"
    return make_msgid(idstring=f"opiekun.{interaction.case.number}.{interaction.pk}", domain=domain)


def thread_ids(interaction: Interaction) -> list[str]:
    """Message-IDs earlier in the case, oldest first, for In-Reply-To and References."""
    earlier = (
        Interaction.objects.filter(case=interaction.case, started_at__lte=interaction.started_at)
        .exclude(pk=interaction.pk)
        .exclude(external_id="")
        .order_by("started_at", "id")
        .values_list("external_id", flat=True)
    )
    return [mid if mid.startswith("<") else f"<{mid}>" for mid in earlier]


def deliver(interaction: Interaction) -> None:
    case = interaction.case
    to = case.customer.primary_email()
    if not to:
        mark_delivery(
            interaction,
            status=Interaction.DeliveryStatus.FAILED,
            error="The customer has no email address.",
        )
        return
    message_id = interaction.external_id or message_id_for(interaction)
    if not interaction.external_id:
        interaction.external_id = message_id
        interaction.save(update_fields=["external_id"])
    references = thread_ids(interaction)
    headers = {"Message-ID": message_id, "Auto-Submitted": "no"}
    if references:
        headers["In-Reply-To"] = references[-1]
        headers["References"] = " ".join(references)
    subject = f"[#{case.number}] {interaction.subject or case.subject}"
    email = EmailMultiAlternatives(
        subject=subject,
        body=interaction.body_text,
        from_email=case.team.email or settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
    )
    if interaction.body_html:
        email.attach_alternative(interaction.body_html, "text/html")
    try:
        email.send()
    except OSError as error:
        mark_delivery(interaction, status=Interaction.DeliveryStatus.FAILED, error=str(error))
        raise
    mark_delivery(interaction, status=Interaction.DeliveryStatus.SENT)
