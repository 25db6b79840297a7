"""Tasks that belong to no domain app: housekeeping, and sending `core.emails` messages."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opiekun.core.emails import Email, deliver_email


@task()
def prune_task_results(days: int = 14) -> int:
    """Delete task results that finished more than `days` days ago; return how many.

    Safe to run twice: a second run finds nothing left to delete.
    """
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted


@task(queue_name="email")
def send_email_message(
    name: str, to: str, subject: str, text: str, html: str, attempt: int = 1
) -> str:
    """Send one message rendered by `core.emails.send_email`; retried there with backoff.

    At least once: a retry after a lost "250" sends it again. Returns "sent", "retry" or
    "failed", so the task result shows what happened.
    """
    email = Email(name=name, to=to, subject=subject, text=text, html=html)
    return deliver_email(
        email, attempt=attempt, retry=send_email_message, args=(name, to, subject, text, html)
    )
