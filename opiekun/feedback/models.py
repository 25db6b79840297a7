"""The goodwill ledger: every non-standard gesture, what it cost, and who granted it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GoodwillGesture(models.Model):
    class Kind(models.TextChoices):
        REFUND = "refund", _("Refund")
        VOUCHER = "voucher", _("Voucher")
        FREE_SHIPPING = "free_shipping", _("Free shipping")
        DISCOUNT = "discount", _("Discount")
        EXCEPTION = "exception", _("Exception to a rule")
        GIFT = "gift", _("Gift")

    class State(models.TextChoices):
        GRANTED = "granted", _("Granted")
        AWAITING_APPROVAL = "awaiting", _("Awaiting approval")
        REJECTED = "rejected", _("Not approved")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="gestures")
    kind = models.CharField(_("gesture"), max_length=16, choices=Kind)
    value = models.DecimalField(_("cost"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="PLN")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=10, choices=State)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("granted by"),
    )  # fmt: skip
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("approved by"),
    )  # fmt: skip
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("goodwill gesture")
        verbose_name_plural = _("goodwill gestures")
        indexes = [models.Index(fields=["state", "requested_at"], name="gesture_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value} {self.currency}"
