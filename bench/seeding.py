"""seed_demo throughput into a fresh SQLite file, against raw sqlite3 executemany."""

import sqlite3
import sys
import time
from pathlib import Path

from django.core.management import call_command
from django.db import connection

from bench.common import bench_dir, remove_database, say, use_database
from opiekun.demo.seed import seed_demo


def raw_insert_rate(path: Path, rows: int) -> float:
    """Bare rows per second: one table, one executemany, one transaction, same PRAGMAs."""
    remove_database(path)
    database = sqlite3.connect(path)
    try:
        database.executescript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            "CREATE TABLE bare (id INTEGER PRIMARY KEY, number TEXT, subject TEXT,"
            " status TEXT, created_at TEXT);"
        )
        values = [
            (f"2026-{index:06d}", "Pytanie o termin dostawy", "open", "2026-11-23 10:00:00")
            for index in range(1, rows + 1)
        ]
        started = time.perf_counter()
        with database:
            database.executemany(
                "INSERT INTO bare (number, subject, status, created_at) VALUES (?, ?, ?, ?)",
                values,
            )
        elapsed = time.perf_counter() - started
    finally:
        database.close()
        remove_database(path)
    return rows / elapsed


def run(cases: int) -> None:
    say(f"== seed_demo throughput: {cases:,} cases into a fresh SQLite database")
    scratch = bench_dir() / "seed-scratch.sqlite3"
    remove_database(scratch)
    use_database(scratch)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    result = seed_demo(cases=cases, stderr=sys.stderr)
    elapsed = time.perf_counter() - started
    connection.close()
    remove_database(scratch)
    rate = cases / elapsed
    rows = result.cases + result.interactions + result.events + result.customers
    say(
        f"seed_demo: {cases:,} cases ({result.interactions:,} interactions, "
        f"{result.events:,} events, {result.customers:,} customers) in {elapsed:.1f} s "
        f"= {rate:,.0f} cases/s"
    )
    reference = raw_insert_rate(bench_dir() / "seed-reference.sqlite3", cases)
    say(f"reference: sqlite3 executemany of {cases:,} bare rows = {reference:,.0f} rows/s")
    say(
        f"ratio: seed_demo cases/s = {rate / reference:.4f} x reference rows/s "
        f"(one case writes about {rows / cases:.1f} rows with their indexes)"
    )
