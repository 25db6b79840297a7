"""Cases, the interaction timeline, events, tags, links, macros and who is on a case now."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opiekun.core.languages import Language


class Channel(models.TextChoices):
    EMAIL = "email", pgettext_lazy("channel", "Email")
    PHONE = "phone", pgettext_lazy("channel", "Phone")
    VISIT = "visit", _("Face to face")
    WEB = "web", _("Web form")
    PORTAL = "portal", _("Portal")
    API = "api", _("API")
    INTERNAL = "internal", _("Internal")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class CaseNumber(models.Model):
    """The last case number issued in a year; locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case number sequence")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Case(models.Model):
    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("case status", "New")
        OPEN = "open", pgettext_lazy("case status", "Open")
        PENDING_CUSTOMER = "pending_customer", _("Pending customer")
        PENDING_INTERNAL = "pending_internal", _("Pending internal / third party")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        REQUEST = "request", _("Request")
        COMPLAINT = "complaint", _("Complaint")
        ORDER = "order", _("Order")
        FEEDBACK = "feedback", _("Feedback")

    OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.PENDING_INTERNAL)

    number = models.CharField(_("number"), max_length=16, unique=True)
    subject = models.CharField(_("subject"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority, default=Priority.NORMAL
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.QUESTION)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    language = models.CharField(
        _("language"), max_length=2, choices=Language, default=Language.POLISH
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, related_name="cases", verbose_name=_("team")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("customer"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="cases", verbose_name=_("tags"))
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_cases",
        verbose_name=_("merged into"),
        # Indexed below for merged rows only: an index over every "not merged" row would
        # tempt the planner away from the list indexes for `merged_into IS NULL`.
        db_index=False,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The list sorts by priority, most urgent first; the database keeps this rank in step with
    # `priority`, so no service has to, and the list indexes below can hold it.
    priority_rank = models.GeneratedField(
        expression=models.Case(
            models.When(priority="urgent", then=models.Value(0)),
            models.When(priority="high", then=models.Value(1)),
            models.When(priority="normal", then=models.Value(2)),
            default=models.Value(3),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("priority rank"),
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # Lists page by (updated_at, id) descending, the unassigned queue by (created_at, id)
        # ascending; each index leads with the tab's equality filter and ends with its order,
        # so a page is read in index order with no sort. The open-status filter is checked
        # row by row: with it inside the index, IN (four statuses) would force a sort.
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="case_recent"),
            models.Index(fields=["team", "-updated_at", "-id"], name="case_team"),
            models.Index(fields=["assignee", "-updated_at", "-id"], name="case_mine"),
            models.Index(
                fields=["team", "assignee", "created_at", "id"], name="case_team_unassigned"
            ),
            models.Index(fields=["assignee", "created_at", "id"], name="case_unassigned"),
            models.Index(
                fields=["merged_into"],
                condition=models.Q(merged_into__isnull=False),
                name="case_merged_into",
            ),
            models.Index(fields=["status", "-updated_at", "-id"], name="case_status"),
            models.Index(fields=["customer", "-updated_at"], name="case_customer"),
            models.Index(fields=["created_at"], name="case_created"),
            # The list's other sorts (oldest first, most urgent first), one index per tab shape.
            models.Index(fields=["team", "created_at", "id"], name="case_team_created"),
            models.Index(
                fields=["assignee", "priority_rank", "-updated_at", "-id"],
                name="case_mine_priority",
            ),
            models.Index(
                fields=["team", "priority_rank", "-updated_at", "-id"], name="case_team_priority"
            ),
            models.Index(
                fields=["team", "assignee", "priority_rank", "-updated_at", "-id"],
                name="case_team_unassigned_prio",
            ),
            models.Index(fields=["priority_rank", "-updated_at", "-id"], name="case_priority"),
            # Tab counts: the open cases of an assignee, a team, a team's unassigned, read from
            # the index alone.
            models.Index(fields=["assignee", "status"], name="case_count_mine"),
            models.Index(fields=["team", "status", "assignee"], name="case_count_team"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.number])

    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def age(self) -> timedelta:
        return timezone.now() - self.created_at


class Interaction(models.Model):
    """One contact on the timeline: a message, call, visit or internal note, in any channel."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("From the customer")
        OUTBOUND = "outbound", _("To the customer")
        INTERNAL = "internal", _("Internal note")

    class DeliveryStatus(models.TextChoices):
        NONE = "", _("Not sent")
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # The connection broke after the message was handed over: it may have arrived.
        UNCERTAIN = "uncertain", _("Uncertain")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("case")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
        verbose_name=_("author"),
    )
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
        verbose_name=_("customer"),
    )
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    body_html = models.TextField(_("HTML (sanitised)"), blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    handle_seconds = models.PositiveIntegerField(_("handle time (s)"), null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=255, blank=True, db_index=True)
    delivery_status = models.CharField(
        _("delivery"),
        max_length=12,
        choices=DeliveryStatus,
        default=DeliveryStatus.NONE,
        blank=True,
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    meta = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["case", "started_at"], name="interaction_case")]

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_channel_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_internal(self) -> bool:
        return self.direction == self.Direction.INTERNAL


class Event(models.Model):
    """An audit record of one change to a case: who did what, when, with a small payload."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Case opened")
        ASSIGNED = "assigned", _("Assigned")
        STATUS = "status", _("Status changed")
        PRIORITY = "priority", _("Priority changed")
        KIND = "kind", _("Kind changed")
        TEAM = "team", _("Team changed")
        TAGGED = "tagged", _("Tags changed")
        MERGED = "merged", _("Merged")
        SPLIT = "split", _("Split")
        LINKED = "linked", _("Linked")
        UNLINKED = "unlinked", _("Link removed")
        CUSTOMER = "customer", _("Customer changed")
        SUBJECT = "subject", _("Subject changed")
        DELIVERY = "delivery", _("Delivery")
        SLA = "sla", _("Service level")
        COMPLAINT = "complaint", _("Complaint")
        COMMITMENT = "commitment", _("Promise")
        GOODWILL = "goodwill", _("Goodwill")
        CALL = "call", _("Call outcome")
        VISIT = "visit", _("Visit outcome")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("by"),
    )
    payload = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["case", "created_at"], name="event_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class CaseLink(models.Model):
    class Kind(models.TextChoices):
        RELATED = "related", _("Related to")
        DUPLICATE = "duplicate", _("Duplicate of")
        SPLIT_FROM = "split_from", _("Split from")

    source = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("case")
    )
    target = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("linked case")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.RELATED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("case link")
        verbose_name_plural = _("case links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="caselink_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="caselink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class Macro(models.Model):
    """A canned reply; its text lives in one MacroTranslation per language."""

    name = models.CharField(_("name"), max_length=100)
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="macros",
        verbose_name=_("team"),
        help_text=_("Empty: available to every team."),
    )
    set_status = models.CharField(
        _("then set status"), max_length=20, choices=Case.Status, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("macro")
        verbose_name_plural = _("macros")

    def __str__(self) -> str:
        return self.name


class MacroTranslation(models.Model):
    macro = models.ForeignKey(
        Macro, on_delete=models.CASCADE, related_name="translations", verbose_name=_("macro")
    )
    language = models.CharField(_("language"), max_length=2, choices=Language)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Variables: {{ customer.name }}, {{ case.number }}, {{ case.subject }}, "
            "{{ agent.name }}, {{ team.name }}"
        ),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["macro", "language"], name="macro_one_per_language")
        ]
        verbose_name = _("macro translation")
        verbose_name_plural = _("macro translations")

    def __str__(self) -> str:
        return f"{self.macro} ({self.language})"


class Presence(models.Model):
    """Who has a case open now, and whether they are writing to the customer."""

    class Activity(models.TextChoices):
        VIEWING = "viewing", _("viewing")
        REPLYING = "replying", _("replying")

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="presence", verbose_name=_("case")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("staff user")
    )
    activity = models.CharField(
        _("activity"), max_length=8, choices=Activity, default=Activity.VIEWING
    )
    seen_at = models.DateTimeField(_("last seen"), default=timezone.now)
    replying_at = models.DateTimeField(_("last typed a reply"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="presence_one_per_user")
        ]
        verbose_name = _("presence")
        verbose_name_plural = _("presence")

    def __str__(self) -> str:
        return f"{self.user} {self.activity} {self.case_id}"

    def is_replying(self, cutoff: datetime) -> bool:
        """Writing to the customer: marked as replying and typed since `cutoff`."""
        return (
            self.activity == self.Activity.REPLYING
            and self.replying_at is not None
            and self.replying_at >= cutoff
        )

    @classmethod
    def fresh(cls) -> Any:
        cutoff = timezone.now() - timedelta(seconds=settings.PRESENCE_SECONDS)
        return cls.objects.filter(seen_at__gte=cutoff)


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Content-addressed: the same file received twice is stored once.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256[2:4]}/{instance.sha256}"


class Attachment(models.Model):
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("interaction"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(
        _("content type"), max_length=127, default="application/octet-stream"
    )
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    content_id = models.CharField(
        _("content id"),
        max_length=255,
        blank=True,
        help_text=_("cid: of an inline image in HTML mail"),
    )
    is_inline = models.BooleanField(_("inline"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class SavedView(models.Model):
    """A named list (tab, filters and sort) kept by one agent for themself, or by a lead or
    manager for a whole team."""

    name = models.CharField(_("name"), max_length=60)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("for staff user"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("for team"),
    )
    query = models.CharField(_("query"), max_length=1000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, team__isnull=True)
                | models.Q(user__isnull=True, team__isnull=False),
                name="saved_view_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class BulkChange(models.Model):
    """One bulk action on the case list, with each changed case's value before and after, so
    the person who made it can undo it."""

    class Action(models.TextChoices):
        ASSIGN = "assign", _("Assign")
        STATUS = "status", _("Set status")
        PRIORITY = "priority", _("Set priority")
        ADD_TAGS = "add_tags", _("Add tags")
        REMOVE_TAGS = "remove_tags", _("Remove tags")
        MERGE = "merge", _("Merge")

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bulk_changes",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=12, choices=Action)
    # [{"case": id, "before": value, "after": value}, ...]; a value is what the service takes
    # (a user id or None, a status, a priority, a sorted list of tag names).
    changes = models.JSONField(_("changes"), default=list)
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk change")
        verbose_name_plural = _("bulk changes")
        indexes = [models.Index(fields=["by", "-created_at"], name="bulk_change_by")]

    def __str__(self) -> str:
        return f"{self.by_id} {self.action} {len(self.changes)}"
