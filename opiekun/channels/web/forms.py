from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opiekun.cases.models import Case
from opiekun.channels.web.models import ContactForm
from opiekun.core.forms import MultipleFileField


class PublicContactForm(forms.Form):
    """What a visitor fills in; optional fields follow the form's settings."""

    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(label=_("Your email address"))
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    order = forms.CharField(label=_("Order number"), max_length=100, required=False)
    kind = forms.ChoiceField(label=_("What is it about"), choices=Case.Kind.choices, required=False)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    message = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(label=_("Files"), required=False)
    # A field people never see; bots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args: Any, contact_form: ContactForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for optional in ContactForm.Field.values:
            if not contact_form.has(optional):
                del self.fields[optional]
