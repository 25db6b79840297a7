from django import forms
from django.utils.translation import gettext_lazy as _

from opiekun.complaints.models import Complaint, ComplaintRegime


class RegisterForm(forms.ModelForm[Complaint]):
    regime = forms.ModelChoiceField(
        ComplaintRegime.objects.filter(is_active=True), label=_("legal regime")
    )
    received_at = forms.DateTimeField(
        label=_("received"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    class Meta:
        model = Complaint
        fields = [
            "regime",
            "received_at",
            "received_channel",
            "customer_type",
            "sole_trader_as_consumer",
            "subject_matter",
            "order_reference",
            "description",
            "noticed_on",
            "demand",
            "demand_amount",
            "demand_details",
        ]
        widgets = {
            "noticed_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "demand_details": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("demand") == Complaint.Demand.PRICE_REDUCTION and not data.get("demand_amount"):
            self.add_error("demand_amount", _("A price reduction needs the amount."))
        return data


class UnderstandingForm(forms.Form):
    text = forms.CharField(
        label=_("In two or three sentences: what happened, and what does the customer expect?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ConfirmForm(forms.Form):
    via = forms.ChoiceField(label=_("confirmed"), choices=Complaint.ConfirmedVia.choices)


class ProposalForm(forms.Form):
    text = forms.CharField(
        label=_("proposal"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ProposalOutcomeForm(forms.Form):
    accepted = forms.TypedChoiceField(
        coerce=lambda value: value == "1", choices=[("1", _("Accepted")), ("0", _("Declined"))]
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=Complaint.Decision.choices)
    reasons = forms.CharField(
        label=_("reasons"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if (
            data.get("decision") != Complaint.Decision.ACCEPTED
            and not str(data.get("reasons", "")).strip()
        ):
            self.add_error("reasons", _("A rejection must give its reasons."))
        return data


class ExtensionForm(forms.Form):
    new_due = forms.DateField(label=_("new date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("written reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RegisterFilterForm(forms.Form):
    regime = forms.ModelChoiceField(
        ComplaintRegime.objects.all(), required=False, label=_("legal regime")
    )
    state = forms.ChoiceField(
        choices=[("", _("any state")), *Complaint.State.choices], required=False, label=_("state")
    )
    decision = forms.ChoiceField(
        choices=[("", _("any decision")), *Complaint.Decision.choices],
        required=False,
        label=_("decision"),
    )
    received_from = forms.DateField(
        required=False, label=_("received from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        required=False, label=_("received to"), widget=forms.DateInput(attrs={"type": "date"})
    )
