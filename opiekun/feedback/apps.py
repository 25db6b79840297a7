from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "opiekun.feedback"
    label = "feedback"
    verbose_name = _("Feedback and goodwill")
    plugs = {
        "case_panels": ["opiekun.feedback.panels.goodwill_panel"],
        "timeline_events": ["opiekun.feedback.events.EVENTS"],
    }
