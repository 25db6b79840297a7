"""The macro form: name, team, the status a reply sets, and one text per language."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opiekun.accounts.models import Team
from opiekun.cases.macros import VARIABLES
from opiekun.cases.models import Case, Macro
from opiekun.core.languages import Language

VARIABLES_HELP = _("Variables: %(variables)s. Anything else in {{ }} is left as written.")


def text_field_name(language: str) -> str:
    return f"text_{language}"


class MacroForm(forms.Form):
    """Create or edit a macro. `teams` are the teams the user may choose; `may_be_global`
    offers "every team" (managers and admins only)."""

    # Polish names a thing ("Nazwa") and a person ("Imię i nazwisko") differently.
    name = forms.CharField(label=pgettext_lazy("macro", "Name"), max_length=100)
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    set_status = forms.ChoiceField(
        label=_("Then set status"),
        required=False,
        choices=[("", _("Leave the status as it is")), *Case.Status.choices],
        help_text=_("Applied when a reply with this macro is sent."),
    )

    def __init__(
        self, *args: Any, teams: QuerySet[Team], may_be_global: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)  # noqa: S101 (declared above)
        team.queryset = teams
        if not may_be_global:
            team.required = True
            team.empty_label = None
        for language, label in Language.choices:
            self.fields[text_field_name(language)] = forms.CharField(
                label=label,
                required=False,
                max_length=20000,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 6, "lang": language}),
            )

    @classmethod
    def initial_for(cls, macro: Macro) -> dict[str, Any]:
        """The form's starting values for an existing macro."""
        initial: dict[str, Any] = {
            "name": macro.name,
            "team": macro.team_id,
            "set_status": macro.set_status,
        }
        for translation in macro.translations.all():
            initial[text_field_name(translation.language)] = translation.body
        return initial

    @property
    def variables_help(self) -> str:
        """What editors may write in {{ }}, shown once above the texts."""
        names = ", ".join(f"{{{{ {name} }}}}" for name in VARIABLES)
        return str(VARIABLES_HELP % {"variables": names})

    def text_fields(self) -> list[forms.BoundField]:
        return [self[text_field_name(language)] for language in Language.values]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not any(cleaned.get(text_field_name(language)) for language in Language.values):
            raise forms.ValidationError(_("Write the text in at least one language."))
        return cleaned

    def texts(self) -> dict[str, str]:
        """Language code → text, after is_valid(); blank for a language left empty."""
        return {
            language: self.cleaned_data.get(text_field_name(language), "")
            for language in Language.values
        }
