from django.template.loader import render_to_string

from opiekun.cases.models import Event
from opiekun.complaints.events import EVENTS, ComplaintEvent


def test_each_step_is_told_in_its_own_sentence() -> None:
    template = EVENTS[Event.Kind.COMPLAINT].template
    payload = {"answer_due": "2026-12-07", "new_due": "2026-12-21"}
    sentences = {
        " ".join(
            render_to_string(
                template,
                {"event": Event(kind="complaint", payload={**payload, "what": what}), "labels": {}},
            ).split()
        )
        for what in ComplaintEvent.values
    }

    assert "" not in sentences
    assert len(sentences) == len(ComplaintEvent.values)
