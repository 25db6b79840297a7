from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opiekun.channels.email.models import Mailbox


class MailboxForm(forms.ModelForm[Mailbox]):
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the stored password."),
    )
    client_secret = forms.CharField(
        label=_("OAuth client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the stored secret."),
    )
    refresh_token = forms.CharField(
        label=_("OAuth refresh token"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Leave empty to keep the stored token."),
    )

    class Meta:
        model = Mailbox
        fields = [
            "name", "team", "language", "acknowledge", "is_active", "host", "port",
            "security", "auth", "username", "folder", "client_id", "token_url",
        ]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        auth = data.get("auth")
        stored = self.instance.pk is not None
        if auth == Mailbox.Auth.PASSWORD:
            if not data.get("password") and not (stored and self.instance.password_encrypted):
                self.add_error("password", _("Enter the mailbox password."))
        elif auth:
            if not data.get("client_id"):
                self.add_error("client_id", _("Enter the OAuth client id."))
            if not data.get("refresh_token") and not (
                stored and self.instance.refresh_token_encrypted
            ):
                self.add_error("refresh_token", _("Enter the OAuth refresh token."))
        return data
