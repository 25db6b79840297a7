"""Inbound email: end-to-end ingestion (raw stored, parsed, customer, case, interaction,
attachments) against the standard library's bare parse of the same messages.

    python -m bench.email_ingest [--count 10000] [--postgres postgres://…/opiekun_bench]

10,000 messages by default: the public corpus (tests/corpus/email) with fresh Message-IDs,
and generated mail in Polish and Estonian (plain, HTML with an inline image, attachments,
replies threading onto earlier cases). SQLite always; PostgreSQL too when --postgres names
a database (created if missing, its tables emptied first). Targets: ≥300 msg/s on SQLite
and at least a third of the bare parse rate.
"""

import argparse
import base64
import os
import random
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "email"
TEXTS = (
    "Dzień dobry, zamówiona pralka nie działa po tygodniu. Proszę o naprawę gwarancyjną.",
    "Tere! Tellitud külmkapp saabus katkisena. Palun vahetage see välja või tagastage raha.",
    "Witam, nie otrzymałem faktury za zamówienie nr 5521. Czy mogą Państwo ją przesłać?",
    "Tere, kas saate muuta minu tarneaadressi? Kolisin eelmisel nädalal Tartusse.",
)
PIXEL = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8).decode()


def _corpus() -> list[bytes]:
    paths = [
        path
        for path in sorted(CORPUS.rglob("*"))
        if path.is_file()
        and path.suffix not in {".yml", ".md"}
        and path.name != "LICENSE"
        and not path.name.startswith(".")
    ]
    return [path.read_bytes() for path in paths]


def _generated(
    number: int, randomness: random.Random, *, reply_to: int | None, sender: str
) -> bytes:
    text = randomness.choice(TEXTS)
    headers = (
        f"From: Klient <{sender}>\r\nTo: support@example.com\r\n"
        f"Subject: =?utf-8?q?Zg=C5=82oszenie?= {number}\r\n"
        f"Message-ID: <bench{number}@example.pl>\r\nMIME-Version: 1.0\r\n"
    )
    if reply_to is not None:
        headers += f"In-Reply-To: <bench{reply_to}@example.pl>\r\n"
    kind = number % 3
    if kind == 0:
        body = f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\r\n> cytat\r\n"
    elif kind == 1:
        body = (
            'Content-Type: multipart/related; boundary="r"\r\n\r\n--r\r\n'
            "Content-Type: text/html; charset=utf-8\r\n\r\n"
            f'<p>{text}</p><img src="cid:img{number}@x"><blockquote>stare</blockquote>\r\n'
            f"--r\r\nContent-Type: image/png\r\nContent-ID: <img{number}@x>\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{PIXEL}\r\n--r--\r\n"
        )
    else:
        body = (
            'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\n'
            f"Content-Type: text/plain; charset=iso-8859-2\r\n\r\n"
            f"{text.encode('iso-8859-2', 'replace').decode('latin-1')}\r\n--m\r\n"
            "Content-Type: application/pdf\r\n"
            f"Content-Disposition: attachment; filename*=utf-8''faktura_{number}.pdf\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n{PIXEL}\r\n--m--\r\n"
        )
    return (headers + body).encode("latin-1", "replace")


def messages(count: int) -> list[bytes]:
    randomness = random.Random(20261123)
    corpus = _corpus()
    mixed: list[bytes] = []
    # A reply comes from the sender of the message it answers, as it does in life (a stranger's
    # reply opens a case of its own, see docs/email.md "How threading decides").
    senders: dict[int, str] = {}
    for number in range(count):
        if number % 10 == 0 and corpus:
            # A corpus message under a fresh Message-ID (the parser takes the first one).
            raw = corpus[(number // 10) % len(corpus)]
            mixed.append(f"Message-ID: <corpus{number}@bench>\r\n".encode() + raw)
        else:
            reply = (
                number - randomness.randrange(1, 50) if number > 50 and number % 4 == 0 else None
            )
            if reply is not None and reply % 10 == 0:
                reply = None
            sender = f"klient{randomness.randrange(2000)}@example.pl"
            sender = senders.get(reply, sender) if reply is not None else sender
            senders[number] = sender
            mixed.append(_generated(number, randomness, reply_to=reply, sender=sender))
    return mixed


def bare_parse_rate(batch: list[bytes]) -> float:
    started = time.perf_counter()
    for raw in batch:
        message_from_bytes(raw, policy=policy.default)
    return len(batch) / (time.perf_counter() - started)


def ingest_rate(batch: list[bytes]) -> tuple[float, dict[str, int]]:
    from django.core.management import call_command

    from opiekun.accounts.models import Team
    from opiekun.channels.email.inbound import Delivery, chunks, ingest_many

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    team = Team.objects.create(name="Support", email="support@example.com")
    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    # As `opiekun ingest_mail` and the IMAP poller do it: in chunks, two commits each.
    for chunk in chunks(Delivery(raw=raw, source="bench") for raw in batch):
        for outcome in ingest_many(chunk, team=team):
            key = "cases_created" if outcome.case_created else str(outcome.status)
            if key == "processed":
                key = "appended"
            outcomes[key] = outcomes.get(key, 0) + 1
    return len(batch) / (time.perf_counter() - started), outcomes


def run(count: int, *, label: str) -> None:
    import django

    django.setup()
    from django.conf import settings

    batch = messages(count)
    bare = bare_parse_rate(batch)
    rate, outcomes = ingest_rate(batch)
    print(f"email ingest [{label}]: {count} messages", flush=True)
    print(f"  outcomes: {outcomes}", flush=True)
    print(f"  stdlib parse (policy.default): {bare:9.0f} msg/s", flush=True)
    print(f"  end-to-end ingestion:          {rate:9.0f} msg/s", flush=True)
    print(f"  ratio to parse:                {rate / bare:9.3f} (target ≥ 0.333)", flush=True)
    if label == "sqlite":
        print(f"  target ≥ 300 msg/s on SQLite:  {'met' if rate >= 300 else 'NOT met'}", flush=True)
    del settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.email_ingest", description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL to run against too")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opiekun.settings")
    os.environ["OPIEKUN_TESTING"] = "1"
    if args.child:
        run(args.count, label=args.child)
        return
    bench = Path(os.environ.get("BENCH_DIR", "var/bench"))
    bench.mkdir(parents=True, exist_ok=True)
    targets = [("sqlite", {"SQLITE_PATH": str(bench / "email.sqlite3"), "DATABASE_URL": ""})]
    if args.postgres:
        _create_database(args.postgres)
        targets.append(("postgresql", {"DATABASE_URL": args.postgres}))
    for label, env in targets:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{bench / 'email.sqlite3'}{suffix}").unlink(missing_ok=True)
        # This module again, in a fresh process per database (S603 is off in bench/).
        subprocess.run(
            [sys.executable, "-m", "bench.email_ingest", "--count", str(args.count),
             "--child", label],
            env={**os.environ, "MEDIA_ROOT": str(bench / f"email-media-{label}"), **env},
            check=True,
        )  # fmt: skip


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
