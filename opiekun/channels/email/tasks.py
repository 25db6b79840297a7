"""Email background work: sending replies and acknowledgements."""

from django.tasks import task

from opiekun.channels.email.outbound import deliver


@task(queue_name="email")
def send_reply(interaction_id: int, attempt: int | None = None) -> str:
    """Send one outbound email interaction (safe to run twice: a sent one is skipped).

    `attempt` is set by scheduled retries; returns what happened ("sent", "retry",
    "failed", "uncertain", "skipped") so the task result shows it.
    """
    return deliver(interaction_id, attempt=attempt)
