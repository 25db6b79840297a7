"""The benchmark code runs (its timings are never asserted)."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_seed_benchmark_runs_and_prints_its_figures_and_ratio(tmp_path: Path) -> None:
    env = {**os.environ, "BENCH_DIR": str(tmp_path), "OPIEKUN_VAR_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "bench", "--quick", "--only", "seed", "--seed-cases", "40"]

    finished = subprocess.run(  # noqa: S603 (fixed arguments)
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )

    assert finished.returncode == 0, finished.stderr
    lines = finished.stdout.splitlines()
    assert lines[0] == "== seed_demo throughput: 40 cases into a fresh SQLite database"
    assert re.fullmatch(
        r"seed_demo: 40 cases \([\d,]+ interactions, [\d,]+ events, 13 customers\) "
        r"in [\d.]+ s = [\d,]+ cases/s",
        lines[1],
    )
    assert re.fullmatch(r"reference: sqlite3 executemany of 40 bare rows = [\d,]+ rows/s", lines[2])
    assert re.fullmatch(
        r"ratio: seed_demo cases/s = [\d.]+ x reference rows/s "
        r"\(one case writes about [\d.]+ rows with their indexes\)",
        lines[3],
    )
    assert len(lines) == 4
    assert "cases: 40 cases in" in finished.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == []
