"""Complaints (reklamacje / pretensioonid): legal regimes with their deadlines as data, the
understanding check, proposals and the decision delivered on a durable medium."""

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opiekun.cases.models import Channel


class ComplaintRegime(models.Model):
    """The rules a complaint is answered under; editable by an admin, never hard-coded."""

    class Silence(models.TextChoices):
        ACCEPTED = "accepted", _("Deemed accepted")
        REFUSED = "refused", _("Deemed refused")
        NONE = "none", _("No legal effect")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    answer_days = models.PositiveSmallIntegerField(
        _("answer within (days)"), help_text=_("Calendar days; the day of receipt is not counted.")
    )
    calendar = models.ForeignKey(
        "sla.BusinessCalendar",
        on_delete=models.PROTECT,
        verbose_name=_("public holidays from"),
        help_text=_("A deadline ending on one of its public holidays or a Sunday moves on."),
    )
    saturday_is_day_off = models.BooleanField(_("a deadline on a Saturday moves on"), default=True)
    silence_means = models.CharField(
        _("if not answered in time"), max_length=8, choices=Silence, default=Silence.NONE
    )
    acknowledge_receipt = models.BooleanField(
        _("acknowledge receipt in the same form"), default=False
    )
    extension_allowed = models.BooleanField(
        _("the deadline may be extended with a written reason"), default=False
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("complaint regime")
        verbose_name_plural = _("complaint regimes")

    def __str__(self) -> str:
        return self.name


class Complaint(models.Model):
    class CustomerType(models.TextChoices):
        CONSUMER = "consumer", _("Consumer")
        BUSINESS = "business", _("Business")

    class Demand(models.TextChoices):
        REPAIR = "repair", _("Repair")
        REPLACEMENT = "replacement", _("Replacement")
        PRICE_REDUCTION = "price_reduction", _("Price reduction")
        WITHDRAWAL = "withdrawal", _("Withdrawal and refund")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        CHECKING = "checking", _("Understanding to be confirmed")
        UNDERSTOOD = "understood", _("Understanding confirmed")
        PROPOSED = "proposed", _("Solution proposed")
        DECIDED = "decided", _("Decided")
        DELIVERED = "delivered", _("Decision letter issued")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
        REJECTED = "rejected", _("Rejected")

    class ConfirmedVia(models.TextChoices):
        PORTAL = "portal", _("Portal button")
        EMAIL = "email", _("Email reply")
        PHONE = "phone", _("By phone")
        IN_PERSON = "in_person", _("In person")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="complaint", verbose_name=_("case")
    )
    regime = models.ForeignKey(
        ComplaintRegime, on_delete=models.PROTECT, verbose_name=_("legal regime")
    )
    customer_type = models.CharField(
        _("customer is a"), max_length=8, choices=CustomerType, default=CustomerType.CONSUMER
    )
    sole_trader_as_consumer = models.BooleanField(
        _("sole trader with consumer rights"),
        default=False,
        help_text=_("Poland: a sole trader buying outside their professional activity."),
    )
    subject_matter = models.CharField(_("product or service"), max_length=300)
    order_reference = models.CharField(_("order or proof of purchase"), max_length=100, blank=True)
    description = models.TextField(_("what does not conform"))
    noticed_on = models.DateField(_("noticed on"), null=True, blank=True)
    demand = models.CharField(_("the customer demands"), max_length=16, choices=Demand)
    demand_amount = models.DecimalField(
        _("amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    demand_details = models.TextField(_("details of the demand"), blank=True)
    received_at = models.DateTimeField(_("received"))
    received_channel = models.CharField(_("received by"), max_length=10, choices=Channel)
    answer_due = models.DateField(_("answer due"))
    extended_due = models.DateField(_("extended to"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    acknowledged_at = models.DateTimeField(_("receipt acknowledged"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State, default=State.RECEIVED)

    understanding = models.TextField(_("what happened and what the customer expects"), blank=True)
    understanding_recorded_at = models.DateTimeField(null=True, blank=True)
    understanding_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    understanding_confirmed_at = models.DateTimeField(
        _("understanding confirmed"), null=True, blank=True
    )
    understanding_confirmed_via = models.CharField(
        _("confirmed by"), max_length=10, choices=ConfirmedVia, blank=True
    )
    understanding_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    customer_correction = models.TextField(_("the customer's correction"), blank=True)

    decision = models.CharField(_("decision"), max_length=16, choices=Decision, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["state", "answer_due"], name="complaint_due")]

    def __str__(self) -> str:
        return str(self.case)

    @property
    def due(self) -> date:
        """The date the answer must be sent by, after any extension."""
        return self.extended_due or self.answer_due

    def state_label(self) -> str:
        """The state in words; once the decision letter is made, what its email is doing, as
        the timeline shows it: queued, sent (handed to the mail server) or failed. Lists
        prefetch `letters__interaction`."""
        letters = list(self.letters.all()) if self.state == self.State.DELIVERED else []
        if not letters:
            return str(self.get_state_display())
        status = letters[-1].interaction.delivery_status
        if status == "sent":
            return str(_("Answer sent"))
        if status == "failed":
            return str(_("Answer not sent: delivery failed"))
        return str(_("Answer queued for sending"))


class Proposal(models.Model):
    """A solution offered to the customer; whether understanding was confirmed at that moment
    is kept, so "listen, check, then propose" can be measured."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Awaiting the customer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="proposals")
    text = models.TextField(_("proposal"))
    understanding_was_confirmed = models.BooleanField()
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome, default=Outcome.PENDING)
    made_at = models.DateTimeField(_("made"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["made_at", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return self.text[:60]


class DecisionLetter(models.Model):
    """The decision as sent: an immutable PDF, its hash, and the email that carried it. Only
    a letter whose email was sent counts as delivered on a durable medium."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    language = models.CharField(_("language"), max_length=2)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    attachment = models.ForeignKey("cases.Attachment", on_delete=models.PROTECT, related_name="+")
    interaction = models.ForeignKey("cases.Interaction", on_delete=models.PROTECT, related_name="+")
    recipient = models.EmailField(_("sent to"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("decision letter")
        verbose_name_plural = _("decision letters")

    def __str__(self) -> str:
        return f"{self.complaint} {self.sha256[:12]}"

    @property
    def delivered_at(self) -> "datetime | None":
        return self.interaction.sent_at
