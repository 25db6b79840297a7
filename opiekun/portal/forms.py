from django import forms
from django.utils.translation import gettext_lazy as _

from opiekun.cases.models import Case
from opiekun.core.forms import MultipleFileField
from opiekun.core.languages import Language


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"))


class ReplyForm(forms.Form):
    body_text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    attachments = MultipleFileField(label=_("Files"), required=False)


class NewRequestForm(forms.Form):
    """A new case from a signed-in customer: the web form's questions, less who they are."""

    kind = forms.ChoiceField(
        label=_("What is it about"),
        choices=Case.Kind.choices,
        initial=Case.Kind.QUESTION,
        required=False,
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body_text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    attachments = MultipleFileField(label=_("Files"), required=False)


class CorrectionForm(forms.Form):
    correction = forms.CharField(
        label=_("What did we get wrong?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
