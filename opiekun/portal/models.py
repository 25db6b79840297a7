"""What the portal stores: one-time sign-in links, and which status changes customers hear of."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opiekun.cases.models import Case


class SignInLink(models.Model):
    """A one-time link sent to an address we know. Only its hash is kept; it expires and
    works once."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="sign_in_links"
    )
    email = models.EmailField()
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
