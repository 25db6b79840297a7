from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "opiekun.channels.visits"
    label = "visits"
    verbose_name = _("Face-to-face channel")
    plugs = {"timeline_events": ["opiekun.channels.visits.events.EVENTS"]}
