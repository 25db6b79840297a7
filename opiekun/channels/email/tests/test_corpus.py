"""The public corpus in tests/corpus/email (see its SOURCES.md): every message is kept, and
where Zammad recorded what it parsed, we read the same sender, subject, text and files."""

import base64
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

from opiekun.accounts.models import Team
from opiekun.channels.email.inbound import ingest
from opiekun.channels.email.management.commands.ingest_mail import read_messages
from opiekun.channels.email.models import InboundMessage
from opiekun.channels.email.parsing import BOUNCE, parse_message, text_from_html

CORPUS = Path(__file__).resolve().parents[4] / "tests" / "corpus" / "email"
MESSAGES = sorted(
    path
    for path in CORPUS.rglob("*")
    if path.is_file()
    and path.suffix not in {".yml", ".md"}
    and path.name != "LICENSE"
    and not path.name.startswith(".")
)
ZAMMAD = sorted((CORPUS / "zammad").glob("*.box"))
# Names Zammad invents for parts that have none; we invent our own (attachment-1.jpg, …).
ZAMMAD_DEFAULT_NAMES = {"file", "message.html", "Delivery report.txt", "Undelivered Message.eml"}

# Where we read a message differently from Zammad, and why ours is acceptable.
KNOWN_DIFFERENCES: dict[str, dict[str, str]] = {
    "mail003.box": {"body": "two HTML alternatives; Zammad keeps the last, we keep the first"},
    "mail008.box": {"attachments": "Zammad names an unnamed part image.gif from its type"},
    "mail016.box": {"from": "Zammad takes Reply-To; we keep From (the reply goes to Reply-To)"},
    "mail017.box": {"body": "several GB2312 HTML parts; Zammad keeps another one"},
    "mail018.box": {"subject": "UTF-7: we decode it, Zammad leaves +ANw-", "body": "UTF-7 idem"},
    "mail019.box": {"from": "From has no address; Zammad takes Reply-To"},
    "mail023.box": {"body": "undeclared GB2312 body; we guess a European charset"},
    "mail026.box": {"body": "Zammad shows the HTML part, we keep the text alternative"},
    "mail035.box": {"from": "Zammad keeps the quotes around a quoted local part"},
    "mail043.box": {"body": "Zammad shows the HTML part, we keep the text alternative"},
    "mail046.box": {
        "subject": "raw GB18030 bytes in Subject while the body says iso-8859-1",
        "attachments": "the embedded message's name comes from that subject",
    },
    "mail054.box": {"subject": "a broken folded header ends the header block early"},
    "mail064.box": {"attachments": "Zammad mangles the decomposed accents of a Mac file name"},
    "mail062.box": {"attachments": "Zammad keeps an HTML part as document.html"},
    "mail068.box": {"from": "a pasted message above the real one", "subject": "idem"},
    "mail071.box": {"from": "unquoted display name", "attachments": "an empty part is kept"},
    "mail072.box": {"body": "Zammad decodes as windows-1250 (ŕ), we as declared latin-1 (à)"},
    "mail076.box": {"from": "unbalanced quotes: no address at all"},
    "mail080.box": {"attachments": "Zammad names an unnamed part image.jpg"},
    "mail081.box": {"from": "redacted@redacted is not an address"},
    "mail082.box": {"body": "Zammad reads a curly quote entity we read as a straight one"},
    "mail085.box": {
        "body": "Zammad shows an HTML attachment as the body",
        "attachments": "and lists it as document.html; we keep the text part as the body",
    },
    "mail087.box": {"from": "unquoted display name", "attachments": "empty text part dropped"},
    "mail093.box": {"subject": "raw Shift_JIS bytes in Subject, ISO-2022-JP body"},
    "mail099.box": {"body": "① is a Microsoft extension of ISO-2022-JP that Python lacks"},
    "mail100.box": {"attachments": "Zammad names parts from Content-Description"},
    "mail102.box": {"attachments": "two files named alike; Zammad renames the second"},
    "mail105.box": {"attachments": "we keep a part Zammad drops"},
}


class _ZammadLoader(yaml.SafeLoader):
    """Reads Zammad's expectation files: Ruby object tags are plain hashes, !binary is base64."""


_ZammadLoader.add_constructor(
    "!binary",
    lambda loader, node: base64.b64decode(loader.construct_scalar(node)),  # type: ignore[arg-type]
)
_ZammadLoader.add_multi_constructor(
    "!ruby/",
    lambda loader, _suffix, node: (
        loader.construct_mapping(node, deep=True)
        if isinstance(node, yaml.MappingNode)
        else loader.construct_scalar(node)
    ),
)


def _expected(box: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(box.with_suffix(".yml").read_bytes(), Loader=_ZammadLoader)  # noqa: S506 - SafeLoader subclass
    return loaded


def _words(text: str) -> str:
    return " ".join(text.split())


def _size(data: object) -> int:
    if isinstance(data, bytes):
        return len(data)
    return len(str(data or "").encode("utf-8", "surrogateescape"))


def _differences(box: Path) -> set[str]:
    expected = _expected(box)
    parsed = parse_message(box.read_bytes())
    found = set()
    sender = str(expected.get("from_email") or "")
    if "@" in sender and sender.lower() != parsed.from_addr.lower():
        found.add("from")
    if _words(str(expected.get("subject") or "")) != _words(parsed.subject):
        found.add("subject")
    body = str(expected.get("body") or "")
    if expected.get("content_type") == "text/html":
        body = text_from_html(body)
    body, ours = _words(body), _words(parsed.text)
    if body != "no visible content" and body[:60] not in ours and ours[:60] not in body:
        found.add("body")
    theirs = [
        (str(item.get("filename")), _size(item.get("data")))
        for item in expected.get("attachments") or []
        if str(item.get("filename")) not in ZAMMAD_DEFAULT_NAMES
    ]
    # Text parts (and embedded messages) differ in line endings; compare their names only.
    mine = {(item.filename, len(item.content)) for item in parsed.attachments}
    mine |= {(item.filename, -1) for item in parsed.attachments}
    theirs = [
        (name, -1 if name.endswith((".eml", ".txt", ".asc")) else size) for name, size in theirs
    ]
    expected_count = len(
        [a for a in expected.get("attachments") or [] if a.get("filename") != "message.html"]
    )
    if any(item not in mine for item in theirs) or expected_count != len(parsed.attachments):
        found.add("attachments")
    return found


@pytest.mark.parametrize("box", ZAMMAD, ids=[box.name for box in ZAMMAD])
def test_zammad_expectations_match(box: Path) -> None:
    differences = _differences(box)

    assert differences == set(KNOWN_DIFFERENCES.get(box.name, {}))


def test_the_corpus_is_all_there() -> None:
    assert len(MESSAGES) == 297
    assert len(ZAMMAD) == 106


@pytest.mark.parametrize("path", MESSAGES, ids=[str(path.relative_to(CORPUS)) for path in MESSAGES])
def test_every_corpus_message_is_kept(path: Path, team_a: Team) -> None:
    raw = path.read_bytes()

    outcome = ingest(raw, team=team_a)

    inbound = InboundMessage.objects.get()
    assert bytes(inbound.raw) == raw
    assert outcome.status == inbound.status
    assert inbound.status == InboundMessage.Status.PROCESSED, inbound.error
    assert inbound.interaction is not None


@pytest.mark.parametrize(
    "path",
    [p for p in MESSAGES if p.parent.name == "bsd" and p.name.startswith(("lhost", "rfc3464"))],
    ids=lambda p: p.name,
)
def test_sisimai_bounces_are_recognised(path: Path) -> None:
    assert parse_message(path.read_bytes()).auto == BOUNCE


@pytest.mark.parametrize(
    "path", [p for p in MESSAGES if p.name.startswith("is-not-bounce")], ids=lambda p: p.name
)
def test_sisimai_ordinary_mail_is_not_a_bounce(path: Path) -> None:
    assert parse_message(path.read_bytes()).auto != BOUNCE


def test_ingest_mail_on_the_whole_corpus_loses_nothing(team_a: Team) -> None:
    out = io.StringIO()

    expected = sum(1 for path in MESSAGES for _message in read_messages(path))

    call_command("ingest_mail", *map(str, MESSAGES), "--team", team_a.name, stdout=out,
                 stderr=io.StringIO())  # fmt: skip

    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    statuses = list(InboundMessage.objects.values_list("status", flat=True))
    assert expected == 299  # two mbox files hold two messages each
    assert summary["received"] == expected
    assert summary["received"] == (
        summary["cases_created"]
        + summary["appended"]
        + summary["duplicates"]
        + summary["quarantined"]
    )
    assert len(statuses) == expected
    assert statuses.count(InboundMessage.Status.RECEIVED) == 0
    assert InboundMessage.objects.filter(size=0).count() == 0
