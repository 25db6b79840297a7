"""Staff users, their roles, teams and personal API tokens."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opiekun.core.languages import Language


class User(AbstractUser):
    class Role(models.TextChoices):
        AGENT = "agent", _("Agent")
        LEAD = "lead", _("Lead")
        MANAGER = "manager", _("Manager")
        ADMIN = "admin", _("Administrator")

    class Availability(models.TextChoices):
        ONLINE = "online", _("Online")
        AWAY = "away", _("Away")
        OFFLINE = "offline", _("Offline")

    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.AGENT)
    language = models.CharField(
        _("language"), max_length=2, choices=Language, default=Language.ENGLISH
    )
    availability = models.CharField(
        _("availability"), max_length=8, choices=Availability, default=Availability.OFFLINE
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=20, help_text=_("Open cases this agent can hold at once.")
    )
    skill_languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    skill_kinds = models.JSONField(_("case kinds handled"), default=list, blank=True)
    skill_channels = models.JSONField(_("channels handled"), default=list, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_all_teams(self) -> bool:
        """Managers and admins see every team's cases; agents and leads see their own teams'."""
        return self.role in {self.Role.MANAGER, self.Role.ADMIN} or self.is_superuser

    @property
    def is_lead_or_above(self) -> bool:
        return self.role != self.Role.AGENT or self.is_superuser

    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


class Team(models.Model):
    class Routing(models.TextChoices):
        MANUAL = "manual", _("Manual")
        ROUND_ROBIN = "round_robin", _("Round robin")
        LOAD = "load", _("Least loaded")

    name = models.CharField(_("name"), max_length=100, unique=True)
    email = models.EmailField(_("team address"), blank=True)
    routing = models.CharField(
        _("assignment"), max_length=16, choices=Routing, default=Routing.MANUAL
    )
    route_by_skill = models.BooleanField(
        _("match skills"),
        default=False,
        help_text=_("Only assign to agents who handle the case's language, kind and channel."),
    )
    signature = models.TextField(_("signature"), blank=True)
    assign_on_reply = models.BooleanField(
        _("replying takes the case"),
        default=True,
        help_text=_(
            "An agent who replies to, calls or serves the customer of a case nobody has is "
            "given the case."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="teams", blank=True, verbose_name=_("members")
    )
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Round-robin position."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token carries its user's rights."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()


class AuthorityLimit(models.Model):
    """What a role, or one person, may grant alone; above it someone with the authority must
    approve. A personal limit overrides the role's."""

    class Kind(models.TextChoices):
        GOODWILL = "goodwill", _("Goodwill gesture (value)")
        REFUND = "refund", _("Refund (amount)")
        EXTENSION = "extension", _("Deadline extension (days)")

    kind = models.CharField(_("what"), max_length=12, choices=Kind)
    role = models.CharField(_("role"), max_length=16, choices=User.Role, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="authority_limits",
        verbose_name=_("person"),
    )
    up_to = models.DecimalField(_("up to"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(role="") & models.Q(user__isnull=False))
                | (~models.Q(role="") & models.Q(user__isnull=True)),
                name="authority_limit_role_or_user",
            ),
            models.UniqueConstraint(
                fields=["kind", "role"],
                condition=models.Q(user__isnull=True),
                name="one_limit_per_role",
            ),
            models.UniqueConstraint(
                fields=["kind", "user"],
                condition=models.Q(user__isnull=False),
                name="one_limit_per_user",
            ),
        ]

    def __str__(self) -> str:
        who = self.user or self.get_role_display()
        return f"{who}: {self.get_kind_display()} ≤ {self.up_to}"
