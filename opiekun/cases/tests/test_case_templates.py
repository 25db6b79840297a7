import re
from pathlib import Path
from typing import Any

import pytest
from django.template.loader import render_to_string

from opiekun.accounts.models import Team, User
from opiekun.cases.events import record_event
from opiekun.cases.models import Event
from opiekun.cases.selectors import case_timeline
from opiekun.cases.tests.factories import CaseFactory

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

SENTENCES: dict[str, tuple[dict[str, Any], str]] = {
    Event.Kind.CREATED: ({"channel": "phone"}, "Ann opened the case (Phone)."),
    Event.Kind.ASSIGNED: (
        {"before": "Ann", "after": "", "after_id": None},
        "Ann took the case away from Ann; nobody holds it now.",
    ),
    Event.Kind.STATUS: (
        {"before": "open", "after": "resolved"},
        "Ann changed the status from Open to Resolved.",
    ),
    Event.Kind.PRIORITY: (
        {"before": "normal", "after": "urgent"},
        "Ann changed the priority from Normal to Urgent.",
    ),
    Event.Kind.KIND: (
        {"before": "question", "after": "complaint"},
        "Ann changed the kind from Question to Complaint.",
    ),
    Event.Kind.TEAM: (
        {"before": "Team A", "after": "Team B"},
        "Ann moved the case from team Team A to team Team B.",
    ),
    Event.Kind.TAGGED: ({"added": ["vip"], "removed": ["spam"]}, "Ann added tags: vip."),
    Event.Kind.MERGED: ({"into": "2026-000007"}, "Ann merged this case into 2026-000007."),
    Event.Kind.SPLIT: (
        {"split_to": "2026-000008", "interaction": 1},
        'Ann split an interaction off into case <a href="/cases/2026-000008/">2026-000008</a>.',
    ),
    Event.Kind.LINKED: (
        {"link": "duplicate", "other": "2026-000009", "outgoing": True},
        'Ann linked this case with <a href="/cases/2026-000009/">2026-000009</a> (Duplicate of).',
    ),
    Event.Kind.UNLINKED: (
        {"link": "related", "other": "2026-000009", "outgoing": True},
        "Ann removed the link with 2026-000009 (Related to).",
    ),
    Event.Kind.CUSTOMER: ({}, "Ann changed the customer of the case."),
    Event.Kind.SUBJECT: (
        {"before": "Paczka", "after": "Zwrot"},
        "Ann changed the subject from “Paczka” to “Zwrot”.",
    ),
    Event.Kind.DELIVERY: (
        {"status": "queued", "interaction_id": 1, "error": ""},
        "Ann queued a failed reply to be sent again.",
    ),
    Event.Kind.SLA: (
        {"target": "first_response", "what": "breached", "due_at": "2026-11-23T16:00:00+01:00"},
        "A service-level target was missed (due 2026-11-23T16:00:00+01:00).",
    ),
    Event.Kind.COMPLAINT: (
        {"what": "registered", "answer_due": "2026-12-07"},
        "Ann registered the complaint; the answer is due by 2026-12-07.",
    ),
    Event.Kind.COMMITMENT: (
        {"what": "made", "description": "Oddzwonimy do 15:00", "due_at": "2026-11-23"},
        "Ann promised: Oddzwonimy do 15:00.",
    ),
    Event.Kind.GOODWILL: (
        {"what": "granted", "gesture": "voucher", "value": "50", "currency": "PLN"},
        "Ann granted a goodwill gesture worth 50 PLN.",
    ),
    Event.Kind.CALL: (
        {"outcome": "callback", "callback_due": "2026-11-24T10:00:00+01:00", "interaction": 1},
        "Ann logged the call: Call-back needed.",
    ),
    Event.Kind.VISIT: (
        {"outcome": "order", "point": "Salon Kraków", "interaction": 1},
        "Ann served the visit at Salon Kraków: Order taken.",
    ),
}


def test_every_event_kind_has_a_sentence() -> None:
    assert set(SENTENCES) == set(Event.Kind)


@pytest.mark.parametrize("kind", list(Event.Kind))
def test_each_event_kind_is_told_in_a_sentence(
    agent_ann: User, team_a: Team, kind: Event.Kind
) -> None:
    payload, sentence = SENTENCES[kind]
    case = CaseFactory.create(team=team_a)
    record_event(case, kind=kind, by=agent_ann, **payload)
    (entry,) = case_timeline(case)
    assert entry.event is not None

    html = render_to_string(entry.template, {"event": entry.event, "labels": entry.labels})

    assert sentence in " ".join(html.split())


def test_templates_have_no_inline_style_or_script_handlers() -> None:
    """The Content-Security-Policy blocks them; every template works without."""
    offending = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("cases/**/*.html")
        if re.search(r"\sstyle=|\son[a-z]+=|<script(?![^>]*nonce)", path.read_text())
    ]

    assert offending == []
