from django import forms
from django.utils.translation import gettext_lazy as _


class CommitmentForm(forms.Form):
    description = forms.CharField(label=_("promise"), max_length=300)
    due_at = forms.DateTimeField(
        label=_("due"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    visible_to_customer = forms.BooleanField(
        label=_("shown to the customer"), required=False, initial=True
    )
