"""Service points (shops, branches, counters) and their walk-in queue."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServicePoint(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), unique=True)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, verbose_name=_("team"))
    address = models.CharField(_("street address"), max_length=300, blank=True)
    calendar = models.ForeignKey(
        "sla.BusinessCalendar",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("opening hours"),
    )
    ticket_prefix = models.CharField(_("ticket letter"), max_length=2, default="A")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")

    def __str__(self) -> str:
        return self.name


class QueueTicket(models.Model):
    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        SERVED = "served", _("Served")
        LEFT = "left", _("Left without service")

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="tickets")
    day = models.DateField()
    number = models.PositiveIntegerField()
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    state = models.CharField(max_length=8, choices=State, default=State.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    called_at = models.DateTimeField(null=True, blank=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    desk = models.CharField(_("desk"), max_length=20, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    interaction = models.OneToOneField(
        "cases.Interaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day", "number"]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")
        constraints = [
            models.UniqueConstraint(fields=["point", "day", "number"], name="ticket_once_a_day")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.point.ticket_prefix}{self.number:03d}"
