"""Periodic service-level work, run by `opiekun worker` every minute."""

from django.tasks import task

from opiekun.sla.commitments import check_commitments
from opiekun.sla.services import check_targets


@task()
def check_service_levels() -> dict[str, int]:
    """Warn and escalate SLA targets, remind and settle promises. Safe to run twice: each
    warning, breach, reminder and broken promise is recorded once."""
    return {**check_targets(), **check_commitments()}
