"""Customers, their organisations, every identity they reach us by, and what they told us."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiekun.core.languages import Language
from opiekun.core.models import TimeStamped
from opiekun.core.phones import readable_phone


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
    # Raised whenever an identity is added, removed or moved: a portal session signed in under
    # another version ends, so nobody keeps access through an address that is no longer theirs.
    identity_version = models.PositiveIntegerField(default=0, editable=False)
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
        """Where mail to the customer goes: never an address attached without proof, which may
        be a stranger's."""
        identity = (
            self.identities.filter(kind=Identity.Kind.EMAIL)
            .exclude(proof=Identity.Proof.UNPROVEN)
            .order_by("-is_primary", "id")
        )
        first = identity.first()
        return first.value if first else ""


class Identity(models.Model):
    """An email address or phone number (E.164) that belongs to one customer, with how we know
    it is theirs."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    class Proof(models.TextChoices):
        CONTACT = "contact", _("They contacted us from it")
        LINK = "link", _("They used a sign-in link sent to it")
        AGENT = "agent", _("An agent added it after checking")
        IMPORTED = "imported", _("Imported")
        EARLIER = "earlier", _("Recorded before proofs were kept")
        GIVEN = "given", _("Given in a form, not proven")
        UNPROVEN = "unproven", _("Attached without proof")

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="identities", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    value = models.CharField(_("value"), max_length=254)
    is_primary = models.BooleanField(_("primary"), default=False)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    proof = models.CharField(
        _("how it was established"), max_length=10, choices=Proof, default=Proof.UNPROVEN
    )
    proven_at = models.DateTimeField(_("established"), default=timezone.now)
    proven_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("established by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    channel = models.CharField(
        _("channel"), max_length=10, blank=True, help_text=_("The channel it came by.")
    )

    class Meta:
        ordering = ["kind", "-is_primary", "id"]
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="identity_unique_value")
        ]
        indexes = [models.Index(fields=["proof"], name="identity_proof")]

    def __str__(self) -> str:
        return self.value

    @property
    def display(self) -> str:
        """The address, or the number grouped for reading (+48 600 100 200)."""
        return readable_phone(self.value) if self.kind == self.Kind.PHONE else self.value

    @property
    def opens_portal(self) -> bool:
        """Whether a sign-in link may be sent here: never through an address attached without
        proof, which may be a stranger's."""
        return self.kind == self.Kind.EMAIL and self.proof != self.Proof.UNPROVEN


class PossibleMatch(models.Model):
    """A contact named an identity of another customer: the records may be one person, or
    someone may be pretending. An agent decides; until then nothing of one reaches the other."""

    class Why(models.TextChoices):
        GIVEN_BESIDE = "beside", _("Given beside an identity of theirs")
        MOVED = "moved", _("Contacted us from an identity on their record that was not proven")

    class Decision(models.TextChoices):
        OPEN = "", _("Not decided")
        MERGED = "merged", _("Merged")
        DISMISSED = "dismissed", _("Not the same customer")

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="possible_matches",
        verbose_name=_("customer"),
    )
    candidate = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="+", verbose_name=_("possible match")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Identity.Kind)
    value = models.CharField(_("value"), max_length=254)
    why = models.CharField(_("why"), max_length=8, choices=Why)
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("noticed"), default=timezone.now)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision, default=Decision.OPEN, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("possible match")
        verbose_name_plural = _("possible matches")
        indexes = [
            models.Index(fields=["customer", "decision"], name="match_customer_open"),
            models.Index(fields=["candidate", "decision"], name="match_candidate_open"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} ~ {self.candidate_id} ({self.value})"


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
