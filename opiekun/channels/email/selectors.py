"""Reading mailboxes and received messages. Only administrators see them."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from opiekun.accounts.models import User
from opiekun.cases.models import Channel, Interaction
from opiekun.channels.email.models import InboundMessage, Mailbox


def may_manage_mail(user: User) -> bool:
    return bool(user.is_active and (user.role == User.Role.ADMIN or user.is_superuser))


def _require_admin(user: User) -> None:
    if not may_manage_mail(user):
        raise PermissionDenied


def visible_mailboxes(user: User) -> QuerySet[Mailbox]:
    _require_admin(user)
    return Mailbox.objects.select_related("team").order_by("name")


def access_mailbox(user: User, pk: int) -> Mailbox:
    _require_admin(user)
    return get_object_or_404(Mailbox.objects.select_related("team"), pk=pk)


def quarantined_messages(user: User) -> QuerySet[InboundMessage]:
    _require_admin(user)
    return (
        InboundMessage.objects.filter(status=InboundMessage.Status.QUARANTINED)
        .select_related("mailbox")
        .defer("raw")
        .order_by("-received_at", "-id")
    )


def access_inbound_message(user: User, pk: int) -> InboundMessage:
    _require_admin(user)
    return get_object_or_404(InboundMessage.objects.select_related("mailbox"), pk=pk)


def quarantine_count() -> int:
    return InboundMessage.objects.filter(status=InboundMessage.Status.QUARANTINED).count()


def uncertain_delivery_count() -> int:
    """Replies whose delivery is uncertain (the connection broke after the server had them),
    waiting for an agent to decide whether to resend."""
    return Interaction.objects.filter(
        channel=Channel.EMAIL, delivery_status=Interaction.DeliveryStatus.UNCERTAIN
    ).count()
