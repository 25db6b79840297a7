from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "opiekun.sla"
    label = "sla"
    verbose_name = _("Service levels")
    plugs = {
        "case_panels": ["opiekun.sla.panels.sla_panel"],
        "timeline_events": ["opiekun.sla.events.EVENTS"],
    }

    def ready(self) -> None:
        from opiekun.sla import config
        from opiekun.sla.models import BusinessCalendar, ClosedDay, OpeningPeriod, SlaPolicy

        # Each process keeps the configuration (see sla/config.py); tell them it changed.
        for model in (SlaPolicy, BusinessCalendar, OpeningPeriod, ClosedDay):
            post_save.connect(
                config.changed, sender=model, dispatch_uid=f"sla-config-save-{model.__name__}"
            )
            post_delete.connect(
                config.changed, sender=model, dispatch_uid=f"sla-config-delete-{model.__name__}"
            )
        # Migrations and `flush` write the tables without signals (and may run before the
        # cache table exists): this process forgets; others are restarted after a migration.
        post_migrate.connect(config.forget, dispatch_uid="sla-config-migrate")
