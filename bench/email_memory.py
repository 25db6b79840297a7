"""Peak memory while `opiekun ingest_mail` takes one 100 MB message (docs/email.md, "Limits").

    python -m bench.email_memory [--megabytes 100]

Runs in a fresh process on a new SQLite database in BENCH_DIR and prints the process's peak
resident memory (what the operating system saw, the interpreter and Django included) and
the peak of Python's own allocations during the ingestion. The message is over the default
size limit, so it is kept on disk and quarantined; the point is that it is never whole in
memory on the way.
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

LINE = b"y" * 998 + b"\r\n"


def write_message(path: Path, megabytes: int) -> int:
    with path.open("wb") as handle:
        handle.write(
            b"From: Klient <klient@example.pl>\r\nTo: obsluga@sklep.example\r\n"
            b"Subject: Film z awarii\r\nMessage-ID: <memory@example.pl>\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        )
        for _ in range(megabytes):
            handle.write(LINE * 1048)  # about 1 MB
    return path.stat().st_size


def child(path: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from opiekun.accounts.models import Team

    call_command("migrate", verbosity=0)
    team = Team.objects.create(name="Bench", email="obsluga@sklep.example")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    call_command("ingest_mail", str(path), team=team.name, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        f"email memory: {path.stat().st_size / 1e6:,.0f} MB message in {seconds:.1f} s; "
        f"peak resident {peak / 1024:,.0f} MiB (before ingesting {before / 1024:,.0f} MiB), "
        f"Python allocations peak {python_peak / 2**20:,.0f} MiB (limit 300 MB)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.email_memory", description=__doc__)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opiekun.settings")
    os.environ["OPIEKUN_TESTING"] = "1"
    if args.child:
        child(Path(args.child))
        return
    bench = Path(os.environ.get("BENCH_DIR", "var/bench"))
    bench.mkdir(parents=True, exist_ok=True)
    message = bench / "memory.eml"
    database = bench / "memory.sqlite3"
    print(f"email memory: writing a {args.megabytes} MB message to {message}")
    write_message(message, args.megabytes)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "bench.email_memory", "--child", str(message)],
            env={**os.environ, "SQLITE_PATH": str(database), "DATABASE_URL": "",
                 "MEDIA_ROOT": str(bench / "memory-media")},
            check=True,
        )  # fmt: skip
    finally:
        message.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
