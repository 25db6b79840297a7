"""Business calendars: weekly opening hours, a time zone, public holidays and closures."""

from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone."), params={"value": value})


class BusinessCalendar(models.Model):
    class Country(models.TextChoices):
        POLAND = "PL", _("Poland")
        ESTONIA = "EE", _("Estonia")

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Warsaw", validators=[validate_time_zone]
    )
    holiday_country = models.CharField(
        _("public holidays of"), max_length=2, choices=Country, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


class OpeningPeriod(models.Model):
    """One open period on a weekday; a day may have several (a lunch break, split shifts)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"), help_text=_("00:00 means midnight at the day's end."))

    class Meta:
        ordering = ["weekday", "opens"]
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")) | models.Q(closes="00:00"),
                name="opening_period_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"


class ClosedDay(models.Model):
    class Kind(models.TextChoices):
        PUBLIC_HOLIDAY = "public_holiday", _("Public holiday")
        CLOSURE = "closure", _("Closure")

    calendar = models.ForeignKey(
        BusinessCalendar, on_delete=models.CASCADE, related_name="closed_days"
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.CLOSURE)

    class Meta:
        ordering = ["date"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="closed_day_once")]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class SlaPolicy(models.Model):
    """Response and resolution targets for the cases it matches; the first match by `order`
    wins. An empty condition matches everything."""

    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    priorities = models.JSONField(_("priorities"), default=list, blank=True)
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    organisation = models.ForeignKey(
        "customers.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("organisation"),
    )
    calendar = models.ForeignKey(
        BusinessCalendar,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("business calendar"),
        help_text=_("Empty: targets run in calendar time, around the clock."),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response (minutes)"), null=True, blank=True
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response (minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution (minutes)"), null=True, blank=True
    )
    warn_at_percent = models.PositiveSmallIntegerField(
        _("warn at (per cent of the time)"), default=80
    )
    escalate_notify_lead = models.BooleanField(
        _("at a breach: notify the team's leads"), default=True
    )
    escalate_raise_priority = models.BooleanField(
        _("at a breach: raise the priority"), default=False
    )
    escalate_reassign_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("at a breach: reassign to"),
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")

    def __str__(self) -> str:
        return self.name


class SlaTarget(models.Model):
    """One promise on one case (first response, a next response, resolution) and how it
    ended: met, or breached and by how much. Paused while the case waits on the customer."""

    class Kind(models.TextChoices):
        FIRST_RESPONSE = "first_response", _("First response")
        NEXT_RESPONSE = "next_response", _("Next response")
        RESOLUTION = "resolution", _("Resolution")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="sla_targets")
    policy = models.ForeignKey(SlaPolicy, null=True, on_delete=models.SET_NULL)
    kind = models.CharField(_("target"), max_length=16, choices=Kind)
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    budget = models.DurationField(_("time allowed"))
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(met_at__isnull=True, cancelled_at__isnull=True),
                name="sla_target_running",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.met_at is None and self.cancelled_at is None


class Commitment(models.Model):
    """A promise an agent made ("we will call you back by 15:00"): reminded before it is due,
    shown to the customer, and counted as kept or broken."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="commitments")
    description = models.CharField(_("promise"), max_length=300)
    due_at = models.DateTimeField(_("due"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    made_at = models.DateTimeField(_("made"), auto_now_add=True)
    visible_to_customer = models.BooleanField(_("shown to the customer"), default=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    kept_at = models.DateTimeField(_("kept"), null=True, blank=True)
    broken_at = models.DateTimeField(_("broken"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(kept_at__isnull=True, broken_at__isnull=True),
                name="commitment_open",
            )
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.kept_at is None and self.broken_at is None
