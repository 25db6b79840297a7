from django.contrib import admin

from opiekun.channels.email.models import InboundMessage, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    list_display = ["name", "team", "host", "username", "is_active", "last_success_at"]
    # Secrets are set on the mailbox page, which encrypts them; never shown here.
    exclude = ["password_encrypted", "client_secret_encrypted", "refresh_token_encrypted"]
    readonly_fields = [
        "last_success_at", "last_error", "last_error_at", "failing_since", "alerted_at",
        "messages_waiting",
    ]  # fmt: skip


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin[InboundMessage]):
    list_display = ["id", "received_at", "mailbox", "message_id", "status"]
    list_filter = ["status", "mailbox"]
    search_fields = ["message_id", "sha256"]
    exclude = ["raw"]
    readonly_fields = [
        "mailbox", "team", "size", "sha256", "message_id", "source", "imap_uid", "status",
        "error", "interaction", "duplicate_of", "received_at", "processed_at",
    ]  # fmt: skip
