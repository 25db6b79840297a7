"""Mailboxes we read, and every message that came in, kept raw before anything else."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiekun.core.languages import Language


class Mailbox(models.Model):
    """An IMAP folder polled every minute; secrets are stored encrypted (see crypto.py)."""

    class Security(models.TextChoices):
        TLS = "tls", _("TLS (IMAPS, port 993)")
        STARTTLS = "starttls", _("STARTTLS (port 143)")
        NONE = "none", _("None (local test servers only)")

    class Auth(models.TextChoices):
        PASSWORD = "password", _("Password")
        MICROSOFT = "microsoft", _("Microsoft 365 (OAuth 2.0)")
        GOOGLE = "google", _("Google (OAuth 2.0)")

    name = models.CharField(_("name"), max_length=100, unique=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="mailboxes",
        verbose_name=_("target team"),
    )
    language = models.CharField(
        _("default language"), max_length=2, choices=Language, default=Language.POLISH
    )
    acknowledge = models.BooleanField(_("acknowledge new cases"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    host = models.CharField(_("IMAP server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("connection security"), max_length=8, choices=Security, default=Security.TLS
    )
    auth = models.CharField(_("sign-in"), max_length=10, choices=Auth, default=Auth.PASSWORD)
    username = models.CharField(_("user name"), max_length=255)
    password_encrypted = models.TextField(_("password (encrypted)"), blank=True)
    client_id = models.CharField(_("OAuth client id"), max_length=255, blank=True)
    client_secret_encrypted = models.TextField(_("OAuth client secret (encrypted)"), blank=True)
    refresh_token_encrypted = models.TextField(_("OAuth refresh token (encrypted)"), blank=True)
    token_url = models.URLField(
        _("OAuth token endpoint"),
        blank=True,
        help_text=_("Empty: the provider's usual endpoint."),
    )
    folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    # Health, written by the poller.
    last_success_at = models.DateTimeField(_("last successful fetch"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("admins alerted at"), null=True, blank=True)
    messages_waiting = models.PositiveIntegerField(_("messages waiting"), default=0)
    messages_incomplete = models.PositiveIntegerField(
        _("messages not received in full"),
        default=0,
        help_text=_("Left unread on the server at the last fetch and tried again next time."),
    )
    # One poller at a time (polling.mailbox_lock): a lease on SQLite, an advisory lock on
    # PostgreSQL.
    polling_until = models.DateTimeField(_("polled until"), null=True, blank=True)
    polling_by = models.CharField(_("polled by"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("email_channel:mailbox_edit", args=[self.pk])

    def is_failing(self) -> bool:
        return self.failing_since is not None


class InboundMessage(models.Model):
    """One received message, stored raw before it is parsed, so nothing is ever lost."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        DUPLICATE = "duplicate", _("Duplicate")
        QUARANTINED = "quarantined", _("Quarantined")

    mailbox = models.ForeignKey(
        Mailbox,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        verbose_name=_("mailbox"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("target team"),
    )
    raw = models.BinaryField(_("raw message"))
    # A message over the size limit is kept on disk instead of in `raw` (see limits.py).
    raw_file = models.FileField(_("raw message file"), upload_to="inbound/%Y/%m/", blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    message_id = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    # The IMAP message this row came from, so a message fetched again after a crash is the
    # same row, not a duplicate.
    imap_uid = models.CharField(_("IMAP UID"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.RECEIVED, db_index=True
    )
    error = models.TextField(_("error"), blank=True)
    interaction = models.ForeignKey(
        "cases.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("interaction"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("duplicate of"),
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        indexes = [models.Index(fields=["message_id", "sha256"], name="inbound_dedupe")]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "imap_uid"],
                condition=~models.Q(imap_uid=""),
                name="inbound_one_per_imap_uid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk} {self.message_id or self.sha256[:12]} {self.status}"
