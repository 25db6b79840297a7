from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opiekun.cases.models import Case


class VisitOutcome(models.TextChoices):
    ANSWERED = "answered", _("Question answered")
    RESOLVED = "resolved", _("Problem solved")
    ORDER = "order", _("Order taken")
    COMPLAINT = "complaint", pgettext_lazy("visit outcome", "Complaint received")
    ESCALATED = "escalated", _("Passed on")


class NewVisitorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(_("Give a phone number or an email address."))
        return data


class VisitForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the visit"), max_length=200)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=VisitOutcome.choices)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    case = forms.CharField(required=False, max_length=16)
    kind = forms.ChoiceField(label=_("kind"), choices=Case.Kind.choices, initial=Case.Kind.QUESTION)
    ticket = forms.IntegerField(required=False, widget=forms.HiddenInput)
    started_at = forms.DateTimeField(widget=forms.HiddenInput)
