"""The one list of periodic jobs, and how workers enqueue each run exactly once.

`opiekun worker` calls `enqueue_due_jobs()` before every pass over the task queue. For each
job it locks that job's `PeriodicJobRun` row with ``SELECT … FOR UPDATE SKIP LOCKED``; when
the row is due it enqueues the task and moves `next_run_at` to now + `every`, in the same
transaction. A second worker, on this machine or another, either skips the locked row or
finds it no longer due, so each run is enqueued once. On SQLite every transaction begins
IMMEDIATE (settings.py), so workers queue for the write lock and the rule holds there too.
The task itself then runs on whichever worker takes it from the queue.

Adding a job
------------
1. Write a task in your app's ``tasks.py`` that takes no arguments (or only arguments with
   defaults) and is safe to run twice, e.g.::

       @task()
       def poll_mailboxes() -> None: ...

2. Append one line to `PERIODIC_JOBS` below::

       PeriodicJob("poll-mailboxes", every=timedelta(minutes=1),
                   task="opiekun.channels.email.tasks.poll_mailboxes"),

The name keys the job's row, so keep it stable: a renamed job starts a new schedule (and runs
at once). A new job runs on the first worker pass after deployment, then every `every`. A
job whose task fails is not retried before its next run; the failure is in the task results
(admin, `DBTaskResult`). Jobs are enqueued on the task's own queue, so the worker serving
that queue runs them. Schedules are intervals, not wall-clock times: a job due while no
worker runs is enqueued once when one starts, not once per missed interval.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from opiekun.core.models import PeriodicJobRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: str  # dotted path of a django.tasks Task

    def load(self) -> Task[[], object]:
        loaded = import_string(self.task)
        if not isinstance(loaded, Task):
            raise TypeError(f"{self.task} is not a task (decorate it with @task())")
        return loaded


PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob(
        "prune-task-results",
        every=timedelta(hours=6),
        task="opiekun.core.tasks.prune_task_results",
    ),
    PeriodicJob(
        "prune-kept-files",
        every=timedelta(hours=1),
        task="opiekun.core.kept_files.prune_kept_files",
    ),
    PeriodicJob(
        "poll-mailboxes",
        every=timedelta(minutes=1),
        task="opiekun.channels.email.polling.poll_mailboxes",
    ),
    PeriodicJob(
        "service-levels",
        every=timedelta(minutes=1),
        task="opiekun.sla.tasks.check_service_levels",
    ),
]


def enqueue_due_jobs(
    jobs: Sequence[PeriodicJob] | None = None, *, now: datetime | None = None
) -> list[str]:
    """Enqueue every job that is due and claim its run; return the names enqueued.

    Safe to call from any number of workers at once: each run is enqueued by one of them.
    """
    jobs = PERIODIC_JOBS if jobs is None else jobs
    now = now or timezone.now()
    # A plain read first: most passes find nothing due and take no lock (on SQLite, no write
    # transaction that would hold up the web processes).
    next_runs = dict(
        PeriodicJobRun.objects.filter(name__in=[job.name for job in jobs]).values_list(
            "name", "next_run_at"
        )
    )
    new = [
        PeriodicJobRun(name=job.name, next_run_at=now) for job in jobs if job.name not in next_runs
    ]
    if new:
        # Two workers may add the same new job at once; the unique name keeps one row.
        PeriodicJobRun.objects.bulk_create(new, ignore_conflicts=True)
    enqueued = []
    for job in jobs:
        if job.name in next_runs and next_runs[job.name] > now:
            continue
        with transaction.atomic():
            run = (
                PeriodicJobRun.objects.select_for_update(skip_locked=True)
                .filter(name=job.name, next_run_at__lte=now)
                .first()
            )
            if run is None:
                continue  # another worker holds it, or it is not due yet
            job.load().enqueue()
            run.last_run_at = now
            run.next_run_at = now + job.every
            run.save(update_fields=["last_run_at", "next_run_at"])
        enqueued.append(job.name)
    return enqueued
