"""Contact forms a team embeds on its own website."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from opiekun.cases.models import Case


class ContactForm(models.Model):
    class Field(models.TextChoices):
        PHONE = "phone", _("Phone number")
        ORDER = "order", _("Order number")
        KIND = "kind", _("What is it about")
        ATTACHMENTS = "attachments", _("Files")

    slug = models.SlugField(_("address"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, verbose_name=_("team"))
    fields = models.JSONField(
        _("optional fields"),
        default=list,
        blank=True,
        help_text=_("Any of: phone, order, kind, attachments"),
    )
    default_kind = models.CharField(
        _("kind of new cases"), max_length=12, choices=Case.Kind, default=Case.Kind.QUESTION
    )
    allowed_origins = models.JSONField(
        _("websites that may embed it"),
        default=list,
        blank=True,
        help_text=_("e.g. https://www.example.pl; empty: only this site"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("contact form")
        verbose_name_plural = _("contact forms")

    def __str__(self) -> str:
        return self.title

    def has(self, field: str) -> bool:
        return field in self.fields
