from django import forms
from django.utils.translation import gettext_lazy as _

from opiekun.feedback.models import GoodwillGesture


class GestureForm(forms.Form):
    kind = forms.ChoiceField(label=_("gesture"), choices=GoodwillGesture.Kind.choices)
    value = forms.DecimalField(label=_("cost"), min_value=0, max_digits=10, decimal_places=2)
    currency = forms.ChoiceField(
        label=_("currency"), choices=[("PLN", "PLN"), ("EUR", "EUR")], initial="PLN"
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        coerce=lambda value: value == "1", choices=[("1", _("Approve")), ("0", _("Refuse"))]
    )
    note = forms.CharField(label=_("note"), required=False, max_length=500)
