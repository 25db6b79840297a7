from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opiekun.accounts.models import Team, User
from opiekun.accounts.selectors import assignable_staff
from opiekun.cases.models import Case, Channel
from opiekun.core.languages import Language


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("Enter the six digits your app shows.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9]{6}",
                "maxlength": "6",
            }
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    availability = forms.ChoiceField(
        label=_("Availability"),
        choices=User.Availability.choices,
        help_text=_("New cases are routed only to agents who are online."),
    )


class TeamForm(forms.ModelForm):  # type: ignore[type-arg]
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Team
        fields = [
            "name", "email", "signature", "routing", "route_by_skill", "assign_on_reply", "members",
        ]  # fmt: skip
        widgets = {"signature": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)  # noqa: S101 (declared above)
        members.queryset = assignable_staff()


def _channel_choices() -> list[tuple[str, object]]:
    return [(value, label) for value, label in Channel.choices if value != Channel.INTERNAL]


class MemberForm(forms.Form):
    """One team member's capacity and skills; an empty skill list means "anything"."""

    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=0,
        max_value=1000,
        help_text=_("Open cases at once; 0 keeps the person out of automatic assignment."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Case kinds"),
        choices=Case.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channels = forms.MultipleChoiceField(
        label=_("Channels"),
        choices=_channel_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, member: User, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"member-{member.pk}")
        kwargs.setdefault(
            "initial",
            {
                "capacity": member.capacity,
                "languages": member.skill_languages,
                "kinds": member.skill_kinds,
                "channels": member.skill_channels,
            },
        )
        super().__init__(*args, **kwargs)
        self.member = member
