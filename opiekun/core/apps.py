from django.apps import AppConfig
from django.db.models import fields
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "opiekun.core"
    label = "core"

    def ready(self) -> None:
        # Django 6.1's blank choice of every select ("- Select an option -") has no Polish and
        # an empty Estonian translation in Django's catalogue. Declared here, it is in ours,
        # which Django reads first. Django documents replacing it in an app's ready().
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")
