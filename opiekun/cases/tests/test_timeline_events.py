"""The kinds of timeline event each app declares ("timeline_events") all show on the case
page; an event whose kind nobody declares still shows, with the generic partial."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.cases import events as case_events
from opiekun.cases.events import GENERIC_TEMPLATE, EventKind, record_event
from opiekun.cases.models import Case, Event
from opiekun.cases.selectors import case_timeline, timeline_events
from opiekun.cases.tests.factories import CaseFactory
from opiekun.cases.tests.test_case_templates import SENTENCES


def event_row(client: Client, case: Case, event: Event) -> str:
    """The case page's timeline row of one event, whitespace collapsed."""
    response = client.get(f"/cases/{case.number}/")
    assert response.status_code == 200
    html = response.content.decode()
    row = re.search(rf'<li [^>]*id="event-{event.pk}"[^>]*>.*?</li>', html, re.DOTALL)
    assert row is not None
    return " ".join(row.group(0).split())


def test_the_installed_apps_declare_every_kind_of_event_once() -> None:
    assert set(timeline_events()) == set(Event.Kind)


@pytest.mark.parametrize("kind", list(Event.Kind))
def test_every_declared_kind_shows_on_the_case_page(
    client: Client, agent_ann: User, team_a: Team, kind: Event.Kind
) -> None:
    declared = timeline_events()[kind]
    payload, sentence = SENTENCES[kind]
    case = CaseFactory.create(team=team_a)
    event = record_event(case, kind=kind, by=agent_ann, **payload)
    client.force_login(agent_ann)

    row = event_row(client, case, event)

    assert f'title="{declared.label}"' in row
    assert sentence in row


def test_an_event_nobody_declares_shows_who_and_its_kind(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    event = record_event(case, kind="retired", by=agent_ann, detail="anything")
    client.force_login(agent_ann)

    (entry,) = case_timeline(case)
    row = event_row(client, case, event)

    assert entry.template == GENERIC_TEMPLATE
    assert "Ann: retired" in row


def test_an_event_of_an_app_no_longer_installed_shows_its_kinds_name(
    client: Client, agent_ann: User, team_a: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("opiekun.cases.selectors.plugged", lambda point: (case_events.EVENTS,))
    case = CaseFactory.create(team=team_a)
    event = record_event(case, kind=Event.Kind.GOODWILL, by=agent_ann, what="granted")
    client.force_login(agent_ann)

    row = event_row(client, case, event)

    assert "Ann: Goodwill" in row


def test_two_apps_may_not_declare_one_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    again = {Event.Kind.STATUS: EventKind(label="Status", template="status.html")}
    monkeypatch.setattr(
        "opiekun.cases.selectors.plugged", lambda point: (case_events.EVENTS, again)
    )

    with pytest.raises(ImproperlyConfigured):
        timeline_events()
