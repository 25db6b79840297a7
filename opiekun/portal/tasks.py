"""Portal background work: telling customers their case changed status."""

from django.tasks import task

from opiekun.cases.models import Case
from opiekun.portal.services import notify_status_change


@task(queue_name="email")
def send_status_email(case_id: int, status: str) -> bool:
    """Email the customer about `status`, unless the case has moved on since (safe to retry:
    a later status sends its own message)."""
    case = Case.objects.select_related("customer").get(pk=case_id)
    if case.status != status:
        return False
    return notify_status_change(case)
