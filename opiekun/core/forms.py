"""Form parts every app shares."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opiekun.core.durations import parse_duration


class MultipleFileInput(forms.ClearableFileInput):
    """Several files at once. The page refuses a file over the limit before it is uploaded
    (opiekun.js reads `data-max-bytes` and shows `data-too-large`); the field checks again."""

    allow_multiple_selected = True

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        limit = settings.ATTACHMENT_MAX_BYTES
        attrs = {
            **(attrs or {}),
            "data-max-bytes": str(limit),
            # Rendered in the page's language; the script puts the file's name in.
            "data-too-large": gettext("“%(name)s” is larger than the limit of %(limit)s.")
            % {"name": "%(name)s", "limit": filesizeformat(limit)},
        }
        return super().get_context(name, value, attrs)


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


class DurationField(forms.CharField):
    """A handle time typed as minutes ("4") or minutes and seconds ("4:30"); cleans to
    seconds."""

    default_error_messages = {
        "invalid": _("Enter minutes, or minutes and seconds such as 4:30."),
    }

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "maxlength": "9",
                "inputmode": "numeric",
                "pattern": r"\d{1,3}(:\d{1,2}){0,2}",
                "placeholder": "4:30",
            }
        )

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        seconds = parse_duration(text)
        if seconds is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return seconds
