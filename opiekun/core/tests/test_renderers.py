"""The <select> written in Python is byte for byte what Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from opiekun.core.renderers import Renderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("a", "A & B"), ("b", '"quoted" <b>')])
    optional = forms.ChoiceField(choices=[("", "---"), ("1", "One")], required=False)
    grouped = forms.ChoiceField(
        choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("other", "Other")]
    )
    many = forms.MultipleChoiceField(choices=[(1, "1"), (2, "2"), (3, "3")])
    maybe = forms.NullBooleanField()
    custom = forms.ChoiceField(
        choices=[("x", "X")],
        widget=forms.Select(attrs={"data-x": "1 < 2", "hx-get": "/a?b=1&c=2", "disabled": True}),
    )


@pytest.mark.parametrize(
    "data",
    [None, {"plain": "b", "grouped": "pear", "many": ["1", "3"], "maybe": "true"}, {"plain": "z"}],
    ids=["unbound", "chosen", "invalid"],
)
@pytest.mark.parametrize("name", list(Everything.base_fields))
def test_a_select_reads_as_djangos_own(data: dict[str, object] | None, name: str) -> None:
    ours = Everything(data, renderer=Renderer())[name].as_widget()
    djangos = Everything(data, renderer=DjangoTemplates())[name].as_widget()

    assert ours == djangos
    assert "<option" in ours
