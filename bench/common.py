"""What the benchmarks share: switching the SQLite file under Django, timing, printing."""

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import connection


def say(text: str = "") -> None:
    print(text, flush=True)


def use_database(path: Path) -> None:
    """Point Django's default connection at another SQLite file (closed and reopened)."""
    connection.close()
    connection.settings_dict["NAME"] = str(path)
    ContentType.objects.clear_cache()


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def timings(action: Callable[[], object], *, rounds: int, warmup: int = 2) -> list[float]:
    """Seconds per call of `action`, after `warmup` untimed calls."""
    for _ in range(warmup):
        action()
    measured = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        measured.append(time.perf_counter() - started)
    return measured


def percentile(values: list[float], fraction: float) -> float:
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[max(0, min(98, round(fraction * 100) - 1))]


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def bench_dir() -> Path:
    from django.conf import settings

    path = Path(os.environ.get("BENCH_DIR", str(Path(settings.VAR_DIR) / "bench")))
    path.mkdir(parents=True, exist_ok=True)
    return path


def err(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
