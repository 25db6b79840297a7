"""`opiekun worker`: run background tasks from the database queue, and the periodic jobs.

Run as many workers as you like, on as many machines as share the database: tasks are
claimed with SKIP LOCKED and each periodic run is enqueued once (`opiekun.core.periodic`).
SIGTERM or Ctrl+C stops the worker after the task it is running; a second signal stops it
at once.
"""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import OperationalError, close_old_connections
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.crypto import get_random_string
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.utils import is_locked_database_exception

from opiekun.core.periodic import enqueue_due_jobs

logger = logging.getLogger("opiekun.worker")
LOGGERS = ("opiekun.worker", "django.tasks", "django_tasks_db")


class PeriodicWorker(Worker):
    """django_tasks_db's worker, which enqueues due periodic jobs before each pass."""

    def __init__(self, *, once: bool, **options: Any) -> None:
        # Batch mode: one pass of `Worker.run` drains the queue and returns.
        super().__init__(batch=True, startup_delay=False, max_tasks=None, **options)
        self.once = once

    def run_forever(self) -> None:
        while self.running:
            close_old_connections()
            try:
                for name in enqueue_due_jobs():
                    logger.info("Enqueued periodic job %s", name)
            except OperationalError as error:
                # SQLite busy past its timeout: another worker is writing; try next pass.
                if not is_locked_database_exception(error):
                    raise
            self.run()
            if self.once:
                return
            if self.running:
                time.sleep(self.interval)


class Command(BaseCommand):
    help = "Run queued background tasks and enqueue periodic jobs when due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Enqueue the due periodic jobs, run every queued task, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when the queue is empty (default: 1).",
        )
        parser.add_argument(
            "--queue-name",
            default="*",
            help="Queues to serve, comma-separated; '*' for all (default).",
        )
        parser.add_argument("--backend", default=DEFAULT_TASK_BACKEND_ALIAS)
        parser.add_argument(
            "--worker-id",
            default="",
            help="Unique id of this worker (default: random).",
        )

    def handle(
        self,
        *args: Any,
        once: bool,
        interval: float,
        queue_name: str,
        backend: str,
        worker_id: str,
        verbosity: int,
        **options: Any,
    ) -> None:
        if interval < 0:
            raise CommandError("--interval must be zero or more.")
        if not isinstance(task_backends[backend], DatabaseBackend):
            raise CommandError(
                f"Task backend {backend!r} is not django_tasks_db.DatabaseBackend; "
                "set TASKS_BACKEND or run tasks elsewhere."
            )
        handler = self.configure_logging(verbosity)
        worker = PeriodicWorker(
            once=once,
            queue_names=queue_name.split(","),
            interval=interval,
            backend_name=backend,
            worker_id=(worker_id or get_random_string(32))[:64],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        try:
            worker.run_forever()
        finally:
            worker.reset_signals()
            for name in LOGGERS:
                logging.getLogger(name).removeHandler(handler)
                logging.getLogger(name).propagate = True

    def configure_logging(self, verbosity: int) -> logging.Handler:
        """Send task starts and finishes to stdout; the queue's own chatter from -v 2."""
        handler = logging.StreamHandler(self.stdout)
        for name in LOGGERS:
            named = logging.getLogger(name)
            if name == "django_tasks_db":
                named.setLevel(logging.DEBUG if verbosity > 1 else logging.WARNING)
            else:
                named.setLevel(logging.INFO if verbosity else logging.WARNING)
            named.addHandler(handler)
            named.propagate = False  # printed here, not again by the root handler
        return handler
