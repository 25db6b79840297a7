"""Forms of the customer pages: search, the customer's details, identities, facts, merging."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opiekun.core.languages import Language
from opiekun.customers.models import Customer, Identity, KnownFact
from opiekun.customers.services import InvalidIdentity, normalise_email, normalise_phone


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Name, organisation, email or phone"),
                "autofocus": True,
            }
        ),
    )

    def query(self) -> str:
        if self.is_valid():
            return str(self.cleaned_data["q"]).strip()
        return ""


class CustomerForm(forms.Form):
    """A customer's own details (identities are added one by one on the customer page)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=200,
        required=False,
        help_text=_("A new name creates the organisation."),
    )
    language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea)

    @classmethod
    def for_customer(cls, customer: Customer) -> "CustomerForm":
        return cls(
            initial={
                "name": customer.name,
                "organisation": customer.organisation.name if customer.organisation else "",
                "language": customer.language,
                "notes": customer.notes,
            }
        )


class NewCustomerForm(CustomerForm):
    email = forms.CharField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        help_text=_("Any format; national numbers are read as Polish."),
        widget=forms.TextInput(attrs={"type": "tel"}),
    )

    def clean_email(self) -> str:
        value = str(self.cleaned_data["email"]).strip()
        if not value:
            return ""
        try:
            return normalise_email(value)
        except InvalidIdentity as error:
            raise forms.ValidationError(str(error)) from None

    def clean_phone(self) -> str:
        value = str(self.cleaned_data["phone"]).strip()
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except InvalidIdentity as error:
            raise forms.ValidationError(str(error)) from None


class IdentityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Identity.Kind.choices)
    value = forms.CharField(
        label=_("Email or phone"),
        max_length=254,
        help_text=_("Phone numbers in any format; national numbers are read as Polish."),
    )
    reason = forms.CharField(
        label=_("How you checked it"),
        max_length=300,
        help_text=_("E.g. “the customer confirmed it on a call from their known number”."),
    )


class ConfirmIdentityForm(forms.Form):
    reason = forms.CharField(label=_("How you checked it"), max_length=300)


class KnownFactForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=KnownFact.Kind.choices, initial=KnownFact.Kind.OTHER
    )
    label = forms.CharField(label=_("Label"), max_length=100, required=False)
    value = forms.CharField(label=_("Value"), max_length=500)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Where it came from, e.g. “told by phone to Ann”."),
    )
    case = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "fact")
        super().__init__(*args, **kwargs)


class MergeSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find the duplicate"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, organisation, email or phone")}
        ),
    )


class MergeForm(forms.Form):
    duplicate = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I checked that both records are the same customer."), required=True
    )
