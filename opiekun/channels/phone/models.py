"""Phone calls from a telephony system, and call-back requests with their due times."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Question answered")
    RESOLVED = "resolved", _("Problem solved")
    CALLBACK = "callback", _("Call-back needed")
    ESCALATED = "escalated", _("Passed on")
    NO_ANSWER = "no_answer", _("No answer")
    VOICEMAIL = "voicemail", _("Left a voicemail")


class PhoneCall(models.Model):
    """One call as the telephony system reports it: ringing, answered, ended."""

    class State(models.TextChoices):
        RINGING = "ringing", _("Ringing")
        ANSWERED = "answered", _("Answered")
        ENDED = "ended", _("Ended")

    call_id = models.CharField(max_length=128, unique=True)
    number = models.CharField(_("number"), max_length=32)
    direction = models.CharField(max_length=8, default="inbound")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL
    )
    state = models.CharField(max_length=8, choices=State, default=State.RINGING)
    rang_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    interaction = models.OneToOneField(
        "cases.Interaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("phone call")
        verbose_name_plural = _("phone calls")
        indexes = [models.Index(fields=["agent", "state"], name="phonecall_agent_state")]

    def __str__(self) -> str:
        return f"{self.number} {self.state}"


class CallbackRequest(models.Model):
    """Somebody asked to be called back: who, on which number, by when, and why."""

    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="callbacks"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks"
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, verbose_name=_("team"))
    number = models.CharField(_("number"), max_length=32)
    due_at = models.DateTimeField(_("call back by"))
    reason = models.CharField(_("reason"), max_length=300)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_at = models.DateTimeField(_("called back"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    interaction = models.OneToOneField(
        "cases.Interaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("call-back request")
        verbose_name_plural = _("call-back requests")
        indexes = [
            models.Index(
                fields=["team", "due_at"],
                condition=models.Q(done_at__isnull=True),
                name="callback_queue",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.due_at:%Y-%m-%d %H:%M}"
