from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "opiekun.portal"
    label = "portal"
    verbose_name = _("Customer portal")
    plugs = {
        "customer_rows": ["opiekun.portal.customer_rows.move_customer_rows"],
        "case_changed": ["opiekun.portal.reactions.status_changed"],
    }
