from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PhoneConfig(AppConfig):
    name = "opiekun.channels.phone"
    label = "phone"
    verbose_name = _("Phone channel")
    plugs = {
        "customer_rows": ["opiekun.channels.phone.customer_rows.move_customer_rows"],
        "timeline_events": ["opiekun.channels.phone.events.EVENTS"],
    }
