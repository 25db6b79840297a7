from django.template.loader import render_to_string

from opiekun.cases.models import Event
from opiekun.feedback.events import EVENTS, GoodwillEvent
from opiekun.feedback.models import GoodwillGesture


def test_the_sub_kinds_are_the_states_a_gesture_moves_to() -> None:
    assert set(GoodwillEvent.values) == set(GoodwillGesture.State.values)


def test_each_sub_kind_is_told_in_its_own_sentence() -> None:
    template = EVENTS[Event.Kind.GOODWILL].template
    payload = {"gesture": "voucher", "value": "50", "currency": "PLN"}
    sentences = {
        " ".join(
            render_to_string(
                template,
                {"event": Event(kind="goodwill", payload={**payload, "what": what}), "labels": {}},
            ).split()
        )
        for what in GoodwillEvent.values
    }

    assert len(sentences) == len(GoodwillEvent.values)
