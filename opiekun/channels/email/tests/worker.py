"""Running the database task queue inside a test: django_tasks_db's own worker in batch mode
(it needs committed rows, so tests using it run with `transaction=True`)."""

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

SEND_REPLY = "opiekun.channels.email.tasks.send_reply"


def run_due_tasks() -> None:
    Worker(
        queue_names=["email"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def make_retries_due() -> None:
    """Make waiting retries due now, as the clock would."""
    DBTaskResult.objects.filter(task_path=SEND_REPLY, status="READY").update(
        run_after=timezone.now()
    )
