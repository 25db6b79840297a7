from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "opiekun.cases"
    label = "cases"
    verbose_name = _("Cases")
    # Plug-in points: see opiekun/core/plugins.py and docs/architecture.md.
    plugs = {
        "customer_rows": ["opiekun.cases.customer_rows.move_customer_rows"],
        "sla_target_breached": ["opiekun.cases.escalation.escalate_case"],
        "timeline_events": ["opiekun.cases.events.EVENTS"],
    }
