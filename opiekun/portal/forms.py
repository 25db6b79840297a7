from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from opiekun.core.languages import Language


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, each checked like a single file and against the limit."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        files = [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]
        for upload in files:
            if (upload.size or 0) > settings.ATTACHMENT_MAX_BYTES:
                raise ValidationError(
                    _("“%(name)s” is larger than the limit of %(limit)s."),
                    params={
                        "name": upload.name,
                        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
                    },
                )
        return files


class ReplyForm(forms.Form):
    body_text = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    attachments = MultipleFileField(label=_("Files"), required=False)


class CorrectionForm(forms.Form):
    correction = forms.CharField(
        label=_("What did we get wrong?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
