from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailConfig(AppConfig):
    name = "opiekun.channels.email"
    label = "email"
    verbose_name = _("Email channel")
    plugs = {"deliver:email": ["opiekun.channels.email.outbound.queue_delivery"]}
