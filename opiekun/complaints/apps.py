from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "opiekun.complaints"
    label = "complaints"
    verbose_name = _("Complaints")
    plugs = {
        "case_panels": ["opiekun.complaints.panels.complaint_panel"],
        "timeline_events": ["opiekun.complaints.events.EVENTS"],
    }
