"""The three languages every screen and email exists in."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    POLISH = "pl", _("Polish")
    ESTONIAN = "et", _("Estonian")
    ENGLISH = "en", _("English")
