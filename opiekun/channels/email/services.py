"""Changing mailboxes: saving one with its secrets encrypted."""

from typing import Any

from django.db import transaction

from opiekun.channels.email.crypto import encrypt_secret
from opiekun.channels.email.models import Mailbox

SECRET_FIELDS = {
    "password": "password_encrypted",
    "client_secret": "client_secret_encrypted",
    "refresh_token": "refresh_token_encrypted",
}


@transaction.atomic
def save_mailbox(mailbox: Mailbox, *, secrets: dict[str, Any]) -> Mailbox:
    """Save the mailbox; each secret given (non-empty) replaces the stored one, encrypted.

    A blank secret keeps what is stored, so editing other fields never needs the password.
    A changed secret clears the failure, so the next poll tries it at once.
    """
    changed = False
    for name, field in SECRET_FIELDS.items():
        value = secrets.get(name) or ""
        if value:
            setattr(mailbox, field, encrypt_secret(value))
            changed = True
    if changed:
        mailbox.failing_since = None
        mailbox.alerted_at = None
    mailbox.save()
    return mailbox
