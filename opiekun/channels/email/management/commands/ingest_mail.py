"""`opiekun ingest_mail -` (one message on stdin, for Postfix/Exim) and
`opiekun ingest_mail PATH...` (.eml files, directories, mbox files, Maildirs).

Exit codes follow sysexits.h so a mail server knows what to do: 0 stored (processed,
duplicate or quarantined: it is kept either way), 64 bad arguments, 65 nothing could even be
stored (empty input), 74 the input could not be read, 75 the database is unavailable or the
disk is full (the mail server keeps the message and tries again). A message over
EMAIL_MAX_MESSAGE_BYTES is read in pieces to disk and quarantined (docs/email.md "Limits").
The last line of stdout is a JSON summary.
"""

import json
import mailbox
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import InterfaceError, OperationalError

from opiekun.accounts.models import Team
from opiekun.channels.email.inbound import (
    Delivery,
    Outcome,
    chunks,
    ingest,
    ingest_many,
    retry_quarantined,
)
from opiekun.channels.email.limits import Spooled, keep_oversized, read_file, read_limited
from opiekun.channels.email.models import InboundMessage, Mailbox
from opiekun.core.files import StorageFailed

EX_OK = 0
EX_USAGE = 64
EX_DATAERR = 65
EX_IOERR = 74
EX_TEMPFAIL = 75

_MBOX_SEPARATOR = re.compile(rb"^From \S+ +\S.*\d{4}\s*$")


def is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        first = handle.readline(1000)
    return bool(_MBOX_SEPARATOR.match(first))


def is_maildir(path: Path) -> bool:
    return path.is_dir() and all((path / name).is_dir() for name in ("cur", "new", "tmp"))


def read_messages(path: Path) -> Iterator[tuple[str, bytes | Spooled]]:
    """(source, raw bytes) for every message under `path`; a message over the size limit,
    alone in its file or inside an mbox or Maildir, is copied to a spool file in pieces
    instead of read (limits.read_file, limits.read_limited)."""
    if is_maildir(path):
        folder = mailbox.Maildir(path, factory=None, create=False)
        for key in sorted(folder.iterkeys()):
            with folder.get_file(key) as handle:
                yield f"{path}/{key}", read_limited(handle)
    elif path.is_dir():
        for child in sorted(path.iterdir()):
            if not child.name.startswith("."):
                yield from read_messages(child)
    elif is_mbox(path):
        box = mailbox.mbox(path, factory=None, create=False)
        for index, key in enumerate(box.iterkeys()):
            # Not closed: the proxy shares the mbox's own file, which later messages need.
            yield f"{path}#{index + 1}", read_limited(box.get_file(key))
    else:
        yield str(path), read_file(path)


class Command(BaseCommand):
    help = "Ingest email: one message from stdin (-), or .eml files, directories, mbox, Maildir."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", help="- for stdin, or files and directories")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--mailbox", help="name of the mailbox the mail arrived in")
        target.add_argument("--team", help="name (or id) of the team to open new cases for")
        parser.add_argument(
            "--retry-quarantined",
            action="store_true",
            help="process every quarantined message again",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[str] = options["paths"]
        if not paths and not options["retry_quarantined"]:
            self.stderr.write("Give - (stdin), paths, or --retry-quarantined.")
            sys.exit(EX_USAGE)
        try:
            code = self._run(paths, options)
        except (OperationalError, InterfaceError) as error:
            self.stderr.write(f"Database unavailable: {error}")
            sys.exit(EX_TEMPFAIL)
        except StorageFailed as error:
            self.stderr.write(f"Cannot store attachments: {error}")
            sys.exit(EX_TEMPFAIL)
        if code:
            sys.exit(code)

    def _target(self, options: dict[str, Any]) -> tuple[Mailbox | None, Team | None] | int:
        if options["mailbox"]:
            found = Mailbox.objects.select_related("team").filter(name=options["mailbox"]).first()
            if found is None:
                self.stderr.write(f"No mailbox named {options['mailbox']!r}.")
                return EX_USAGE
            return found, None
        if options["team"]:
            value = options["team"]
            team = Team.objects.filter(name=value).first()
            if team is None and value.isdigit():
                team = Team.objects.filter(pk=int(value)).first()
            if team is None:
                self.stderr.write(f"No team named {value!r}.")
                return EX_USAGE
            return None, team
        return None, None

    def _run(self, paths: list[str], options: dict[str, Any]) -> int:
        target = self._target(options)
        if isinstance(target, int):
            return target
        mailbox_row, team = target
        counts: Counter[str] = Counter()
        if options["retry_quarantined"]:
            for row in InboundMessage.objects.filter(
                status=InboundMessage.Status.QUARANTINED
            ).order_by("id"):
                self._count(counts, retry_quarantined(row))
        if paths == ["-"]:
            try:
                raw = read_limited(sys.stdin.buffer)
            except OSError as error:
                self.stderr.write(f"Cannot read stdin: {error}")
                return EX_IOERR
            if isinstance(raw, Spooled):
                row = keep_oversized(raw, mailbox=mailbox_row, team=team, source="stdin")
                self._count(counts, Outcome(row.status))
            elif not raw.strip():
                self.stderr.write("Empty message: nothing to store.")
                return EX_DATAERR
            else:
                self._count(counts, ingest(raw, mailbox=mailbox_row, team=team, source="stdin"))
        elif paths:
            code = self._ingest_paths(paths, counts, mailbox_row, team)
            if code:
                return code
        self.stdout.write(
            json.dumps(
                {
                    "received": counts["received"],
                    "cases_created": counts["cases_created"],
                    "appended": counts["appended"],
                    "duplicates": counts["duplicates"],
                    "quarantined": counts["quarantined"],
                }
            )
        )
        return EX_OK

    def _ingest_paths(
        self,
        paths: list[str],
        counts: Counter[str],
        mailbox_row: Mailbox | None,
        team: Team | None,
    ) -> int:
        for name in paths:
            path = Path(name)
            if not path.exists():
                self.stderr.write(f"{name}: no such file or directory")
                return EX_IOERR
            try:
                deliveries = self._deliveries(path, counts, mailbox_row, team)
                for chunk in chunks(deliveries):
                    for outcome in ingest_many(chunk, mailbox=mailbox_row, team=team):
                        self._count(counts, outcome)
                    self.stderr.write(f"{counts['received']} messages…")
            except OSError as error:
                self.stderr.write(f"{name}: {error}")
                return EX_IOERR
        self.stderr.write(f"{counts['received']} messages done.")
        return EX_OK

    def _deliveries(
        self, path: Path, counts: Counter[str], mailbox_row: Mailbox | None, team: Team | None
    ) -> Iterator[Delivery]:
        for source, raw in read_messages(path):
            if isinstance(raw, Spooled):
                row = keep_oversized(raw, mailbox=mailbox_row, team=team, source=source)
                self._count(counts, Outcome(row.status))
            elif raw.strip():
                yield Delivery(raw=raw, source=source)
            else:
                self.stderr.write(f"{source}: empty, skipped")

    @staticmethod
    def _count(counts: Counter[str], outcome: Outcome) -> None:
        counts["received"] += 1
        if outcome.status == InboundMessage.Status.PROCESSED:
            counts["cases_created" if outcome.case_created else "appended"] += 1
        elif outcome.status == InboundMessage.Status.DUPLICATE:
            counts["duplicates"] += 1
        elif outcome.status == InboundMessage.Status.QUARANTINED:
            counts["quarantined"] += 1
