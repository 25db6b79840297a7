import pytest
from django.db.models import TextChoices
from django.template.loader import render_to_string

from opiekun.cases.models import Event
from opiekun.sla.events import EVENTS, CommitmentEvent, SlaEvent

SUB_KINDS: list[tuple[str, type[TextChoices]]] = [
    (Event.Kind.SLA, SlaEvent),
    (Event.Kind.COMMITMENT, CommitmentEvent),
]


@pytest.mark.parametrize(("kind", "choices"), SUB_KINDS)
def test_each_sub_kind_is_told_in_its_own_sentence(kind: str, choices: type[TextChoices]) -> None:
    payload = {"description": "Oddzwonimy", "due_at": "2026-11-23T16:00:00+01:00"}
    sentences = {
        " ".join(
            render_to_string(
                EVENTS[kind].template,
                {"event": Event(kind=kind, payload={**payload, "what": what}), "labels": {}},
            ).split()
        )
        for what in choices.values
    }

    assert len(sentences) == len(choices.values)
