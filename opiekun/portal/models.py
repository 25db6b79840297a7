"""What the portal stores: one-time sign-in links, and which status changes customers hear of."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opiekun.cases.models import Case


class SignInLink(models.Model):
    """A one-time link sent to an address we know; it expires and works once.

    The link itself is never stored: its token is an HMAC of the row's id and `salt` under
    SECRET_KEY (so the task that emails it can rebuild it from the id) and `digest` is the
    token's SHA-256 (so a redeemed token can be looked up)."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="sign_in_links"
    )
    email = models.EmailField()
    salt = models.CharField(max_length=64, blank=True, default="")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M}"


class StatusEmail(models.Model):
    """Whether customers get an email when their case enters a status."""

    status = models.CharField(_("status"), max_length=20, choices=Case.Status, unique=True)
    enabled = models.BooleanField(_("email the customer"), default=True)

    class Meta:
        ordering = ["status"]
        verbose_name = _("status email")
        verbose_name_plural = _("status emails")

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.enabled}"
