from django import forms
from django.utils.translation import gettext_lazy as _

from opiekun.accounts.models import Team
from opiekun.cases.models import Case, Interaction
from opiekun.channels.phone.models import Outcome
from opiekun.core.forms import DurationField
from opiekun.customers.services import InvalidIdentity, normalise_phone


class PhoneNumberField(forms.CharField):
    def clean(self, value: object) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            return normalise_phone(text)
        except InvalidIdentity as error:
            raise forms.ValidationError(str(error)) from None


class CallForm(forms.Form):
    number = PhoneNumberField(label=_("Phone number"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    direction = forms.ChoiceField(
        label=_("Call"),
        choices=[
            (Interaction.Direction.INBOUND, _("Incoming")),
            (Interaction.Direction.OUTBOUND, _("Outgoing")),
        ],
    )
    team = forms.ModelChoiceField(Team.objects.none(), label=_("team"))
    case = forms.CharField(label=_("Add to case (number)"), required=False, max_length=16)
    subject = forms.CharField(label=_("Subject of a new case"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("kind"), choices=Case.Kind.choices, initial=Case.Kind.QUESTION)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    started_at = forms.DateTimeField(widget=forms.HiddenInput)
    handle_time = DurationField(
        label=_("Handle time"),
        required=False,
        help_text=_("Minutes, or minutes:seconds. Leave empty to use the timer."),
    )
    callback_due = forms.DateTimeField(
        label=_("Call back by"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    callback_reason = forms.CharField(label=_("Call-back reason"), required=False, max_length=300)

    def __init__(self, *args: object, teams: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.CALLBACK and not data.get("callback_due"):
            self.add_error("callback_due", _("Say by when to call back."))
        return data


class CallbackDoneForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    handle_time = DurationField(label=_("Handle time"), initial="1")
