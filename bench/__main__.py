"""`python -m bench [--quick] [--only seed|pages|email]`: Opiekun's benchmarks (docs/operations.md).

Environment: BENCH_CASES (cases in the large database, default 1,000,000), BENCH_DIR
(default var/bench), BENCH_POSTGRES_URL (a database the email benchmark may empty and fill,
default postgres://postgres@127.0.0.1:5432/opiekun_bench; "" for none). The benchmarks use
SQLite, whatever DATABASE_URL says; email ingestion runs on PostgreSQL too when it answers.
"""

import argparse
import os
import subprocess
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="Small sizes for development (50,000 cases)."
    )
    parser.add_argument("--only", choices=["seed", "pages", "email"], help="Run one benchmark.")
    parser.add_argument(
        "--seed-cases", type=int, default=None, help="Cases for the seed benchmark (20,000)."
    )
    parser.add_argument("--rounds", type=int, default=30, help="Timed requests per page.")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opiekun.settings")
    os.environ["OPIEKUN_TESTING"] = "1"  # plain-HTTP test client, no SECRET_KEY needed
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("DATABASE_URL_FILE", None)
    import django

    django.setup()

    from bench import pages, seeding

    large = 50_000 if args.quick else int(os.environ.get("BENCH_CASES", "1000000"))
    seed_cases = args.seed_cases or (5_000 if args.quick else 20_000)
    if args.only in (None, "seed"):
        seeding.run(seed_cases)
    if args.only in (None, "pages"):
        pages.run(large, rounds=max(3, args.rounds // 3 if args.quick else args.rounds))
    if args.only in (None, "email"):
        # Inbound email ingestion runs in processes of its own (bench/email_ingest.py).
        count = ["--count", "1000"] if args.quick else []
        postgres = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
        if postgres and not _answers(postgres):
            print(f"email ingest [postgresql]: skipped, no server answers at {postgres}")
            postgres = ""
        also = ["--postgres", postgres] if postgres else []
        subprocess.run([sys.executable, "-m", "bench.email_ingest", *count, *also], check=True)
        # Peak memory for one 100 MB message (bench/email_memory.py).
        size = ["--megabytes", "20"] if args.quick else []
        subprocess.run([sys.executable, "-m", "bench.email_memory", *size], check=True)


DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/opiekun_bench"


def _answers(url: str) -> bool:
    import psycopg

    base = url.rpartition("/")[0]
    try:
        psycopg.connect(f"{base}/postgres", connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


if __name__ == "__main__":
    main()
