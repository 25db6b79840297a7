"""Portal background work: sign-in links, and telling customers their case changed status."""

from django.tasks import task

from opiekun.cases.models import Case
from opiekun.portal.services import email_sign_in_link, notify_status_change


@task(queue_name="email")
def send_status_email(case_id: int, status: str) -> bool:
    """Email the customer about `status`, unless the case has moved on since (safe to retry:
    a later status sends its own message)."""
    case = Case.objects.select_related("customer").get(pk=case_id)
    if case.status != status:
        return False
    return notify_status_change(case)


@task(queue_name="email")
def send_sign_in_link(link_id: int, attempt: int = 1) -> str:
    """Email a sign-in link; only its id is stored in the task table (see
    `portal.services.email_sign_in_link`)."""
    return email_sign_in_link(link_id, attempt=attempt, retry=send_sign_in_link)
