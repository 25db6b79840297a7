"""Customers, their organisations, every identity they reach us by, and what they told us."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opiekun.core.languages import Language
from opiekun.core.models import TimeStamped


class Organisation(TimeStamped):
    name = models.CharField(_("name"), max_length=200)
    registry_code = models.CharField(
        _("registry code"), max_length=32, blank=True, help_text=_("NIP / KRS / registrikood")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Customer(TimeStamped):
    name = models.CharField(_("name"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customers",
        verbose_name=_("organisation"),
    )
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language, default=Language.POLISH
    )
    notes = models.TextField(_("notes"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    merged_at = models.DateTimeField(_("merged"), null=True, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("merged by"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name or str(_("Customer %(id)s") % {"id": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", args=[self.pk])

    def primary_email(self) -> str:
        identity = self.identities.filter(kind=Identity.Kind.EMAIL).order_by("-is_primary", "id")
        first = identity.first()
        return first.value if first else ""


class Identity(models.Model):
    """An email address or phone number (E.164) that belongs to one customer."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="identities", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    value = models.CharField(_("value"), max_length=254)
    is_primary = models.BooleanField(_("primary"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "-is_primary", "id"]
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identity_unique_value")
        ]

    def __str__(self) -> str:
        return self.value


class KnownFact(models.Model):
    """Something the customer already told us, with where it came from, so nobody asks twice."""

    class Kind(models.TextChoices):
        ORDER = "order", _("Order number")
        ADDRESS = "address", _("Address")
        PRODUCT = "product", _("Product")
        CONTRACT = "contract", _("Contract")
        OTHER = "other", _("Other")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="facts", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.OTHER)
    label = models.CharField(_("label"), max_length=100, blank=True)
    value = models.CharField(_("value"), max_length=500)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where it came from, e.g. “told by phone to Ann”."),
    )
    source_case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("from case"),
    )
    source_interaction = models.ForeignKey(
        "cases.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("from interaction"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("noted by"),
    )
    created_at = models.DateTimeField(_("noted"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("known fact")
        verbose_name_plural = _("known facts")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"
