import io
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from opiekun.core.models import PeriodicJobRun
from opiekun.core.periodic import PERIODIC_JOBS, PeriodicJob, enqueue_due_jobs
from opiekun.core.tasks import prune_task_results

ROOT = Path(__file__).resolve().parents[3]
PRUNE = "opiekun.core.tasks.prune_task_results"
PRUNE_EVERY_HOUR = PeriodicJob("prune-hourly", every=timedelta(hours=1), task=PRUNE)


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "email"],
        }
    }


def run_worker_once() -> str:
    out = io.StringIO()
    call_command("worker", once=True, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def finished_long_ago() -> DBTaskResult[[], int]:
    old = DBTaskResult.objects.get(id=prune_task_results.enqueue().id)
    old.status = TaskResultStatus.SUCCESSFUL
    old.finished_at = timezone.now() - timedelta(days=30)
    old.save(update_fields=["status", "finished_at"])
    return old


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_tasks")
def test_worker_once_runs_a_queued_task() -> None:
    old = finished_long_ago()
    # Not due: the periodic prune must not be what runs here.
    PeriodicJobRun.objects.create(
        name="prune-task-results", next_run_at=timezone.now() + timedelta(hours=1)
    )
    queued = prune_task_results.enqueue(days=7)

    out = run_worker_once()

    result = DBTaskResult.objects.get(id=queued.id)
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    assert DBTaskResult.objects.filter(id=old.id).exists() is False
    assert f"Task id={queued.id} path={PRUNE} state=SUCCESSFUL" in out


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_tasks")
def test_periodic_job_runs_once_when_two_workers_run_in_the_same_period() -> None:
    out_first = run_worker_once()
    out_second = run_worker_once()

    runs = DBTaskResult.objects.filter(task_path=PRUNE)
    assert [(run.status, run.return_value) for run in runs] == [(TaskResultStatus.SUCCESSFUL, 0)]
    assert "Enqueued periodic job prune-task-results" in out_first
    assert "Enqueued periodic job" not in out_second
    job = PeriodicJobRun.objects.get(name="prune-task-results")
    assert job.last_run_at is not None
    assert job.next_run_at == job.last_run_at + timedelta(hours=6)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_tasks")
def test_periodic_job_runs_again_once_its_interval_has_passed() -> None:
    run_worker_once()
    PeriodicJobRun.objects.filter(name="prune-task-results").update(
        next_run_at=timezone.now() - timedelta(seconds=1)
    )

    run_worker_once()

    assert DBTaskResult.objects.filter(task_path=PRUNE, status="SUCCESSFUL").count() == 2


@pytest.mark.django_db
def test_enqueue_due_jobs_enqueues_a_job_once_per_interval() -> None:
    start = timezone.now()

    first = enqueue_due_jobs([PRUNE_EVERY_HOUR], now=start)
    same_period = enqueue_due_jobs([PRUNE_EVERY_HOUR], now=start + timedelta(minutes=59))
    next_period = enqueue_due_jobs([PRUNE_EVERY_HOUR], now=start + timedelta(minutes=60))

    assert (first, same_period, next_period) == (["prune-hourly"], [], ["prune-hourly"])
    job = PeriodicJobRun.objects.get(name="prune-hourly")
    assert (job.last_run_at, job.next_run_at) == (
        start + timedelta(minutes=60),
        start + timedelta(minutes=120),
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no row locks: writers queue instead"
)
def test_a_worker_skips_a_job_another_worker_is_claiming() -> None:
    enqueue_due_jobs([PRUNE_EVERY_HOUR], now=timezone.now() - timedelta(hours=2))
    PeriodicJobRun.objects.filter(name="prune-hourly").update(next_run_at=timezone.now())
    claimed = threading.Event()
    release = threading.Event()

    def other_worker() -> None:
        with transaction.atomic():
            PeriodicJobRun.objects.select_for_update().get(name="prune-hourly")
            claimed.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    claimed.wait(10)
    try:
        enqueued = enqueue_due_jobs([PRUNE_EVERY_HOUR])
    finally:
        release.set()
        thread.join()

    assert enqueued == []


def test_every_periodic_job_names_a_task_and_has_a_unique_name() -> None:
    names = [job.name for job in PERIODIC_JOBS]

    assert len(names) == len(set(names))
    for job in PERIODIC_JOBS:
        assert job.load().module_path == job.task
        assert job.every >= timedelta(seconds=1)


def test_periodic_job_that_is_not_a_task_is_refused() -> None:
    job = PeriodicJob(
        "bad", every=timedelta(hours=1), task="opiekun.core.periodic.enqueue_due_jobs"
    )

    with pytest.raises(TypeError, match="is not a task"):
        job.load()


@pytest.mark.django_db
def test_worker_refuses_a_backend_that_is_not_the_database() -> None:
    with pytest.raises(CommandError, match=r"is not django_tasks_db\.DatabaseBackend"):
        call_command("worker", once=True, stdout=io.StringIO())


def test_worker_finishes_cleanly_on_sigterm(tmp_path: Path) -> None:
    database = tmp_path / "worker.sqlite3"
    env = {
        **os.environ,
        "SQLITE_PATH": str(database),
        "OPIEKUN_VAR_DIR": str(tmp_path),
        "OPIEKUN_TESTING": "1",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("DATABASE_URL", None)
    opiekun = [sys.executable, "-m", "opiekun"]
    subprocess.run([*opiekun, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    worker = subprocess.Popen(  # noqa: S603 (fixed arguments)
        [*opiekun, "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        finished = 0
        while finished < len(PERIODIC_JOBS) and time.monotonic() < deadline:
            time.sleep(0.2)
            with sqlite3.connect(database) as db:
                row = db.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult"
                    " WHERE status = 'SUCCESSFUL'"
                ).fetchone()
            finished = row[0]

        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=30)
    finally:
        worker.kill()

    assert finished == len(PERIODIC_JOBS)
    assert worker.returncode == 0, err
    assert "Enqueued periodic job prune-task-results" in out
    assert "shutting down gracefully" in out
