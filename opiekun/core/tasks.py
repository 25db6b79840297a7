"""Housekeeping tasks that belong to no domain app."""

from datetime import timedelta

from django.tasks import task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


@task()
def prune_task_results(days: int = 14) -> int:
    """Delete task results that finished more than `days` days ago; return how many.

    Safe to run twice: a second run finds nothing left to delete.
    """
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted
