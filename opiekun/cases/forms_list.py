"""Forms of the case list beyond its filter bar: bulk changes and saved views."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from opiekun.accounts.models import Team, User
from opiekun.cases.bulk import BulkRequest
from opiekun.cases.filters import CASE_NUMBER, UNASSIGNED
from opiekun.cases.forms import tag_names
from opiekun.cases.models import BulkChange, Case

PERSONAL = "me"


class BulkForm(forms.Form):
    """What to do to the chosen cases. Only the field of the chosen action is read."""

    action = forms.ChoiceField(label=_("Action"), choices=BulkChange.Action.choices)
    agent = forms.ChoiceField(label=_("Assign to"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *Case.Status.choices]
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", "—"), *Case.Priority.choices]
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas."),
    )
    into = forms.CharField(label=_("Merge into"), required=False, max_length=16)

    def __init__(self, *args: Any, agents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agents = {str(agent.pk): agent for agent in agents}
        field = self.fields["agent"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (declared above)
        field.choices = [
            ("", "—"),
            (UNASSIGNED, _("Nobody")),
            *((pk, str(agent)) for pk, agent in self.agents.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        needed: str | None = {
            str(BulkChange.Action.ASSIGN): "agent",
            str(BulkChange.Action.STATUS): "status",
            str(BulkChange.Action.PRIORITY): "priority",
            str(BulkChange.Action.ADD_TAGS): "tags",
            str(BulkChange.Action.REMOVE_TAGS): "tags",
        }.get(str(action or ""))
        if needed and not data.get(needed):
            self.add_error(needed, _("Choose a value for this action."))
        if needed == "tags" and data.get("tags") and not tag_names(data["tags"]):
            self.add_error("tags", _("Choose a value for this action."))
        into = (data.get("into") or "").strip()
        if into and not CASE_NUMBER.fullmatch(into):
            self.add_error("into", _("Enter a case number."))
        return data

    def bulk_request(self) -> BulkRequest:
        """The request the form describes; call after is_valid()."""
        data = self.cleaned_data
        agent: User | None = None
        if data.get("agent") and data["agent"] != UNASSIGNED:
            agent = self.agents.get(data["agent"])
        return BulkRequest(
            action=data["action"],
            agent=agent,
            status=data.get("status") or "",
            priority=data.get("priority") or "",
            tags=tag_names(data.get("tags") or ""),
            into=(data.get("into") or "").strip(),
        )


def chosen_numbers(values: list[str]) -> list[str]:
    """The case numbers ticked in the list (anything else is dropped), in the order given,
    each once."""
    return list(dict.fromkeys(value for value in values if CASE_NUMBER.fullmatch(value)))


class SavedViewForm(forms.Form):
    """Keep the list as it is shown now under a name, for oneself or for a team."""

    prefix = "view"
    name = forms.CharField(label=_("Name of the view"), max_length=60)
    owner = forms.ChoiceField(label=_("For"), initial=PERSONAL)
    query = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.teams: dict[str, Team] = {str(team.pk): team for team in teams}
        field = self.fields["owner"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (declared above)
        field.choices = [
            (PERSONAL, _("Only me")),
            *((pk, _("Team %(team)s") % {"team": team}) for pk, team in self.teams.items()),
        ]
        if not self.teams:
            field.widget = forms.HiddenInput()

    def team(self) -> Team | None:
        """The team the view is for, or None for the user's own; call after is_valid()."""
        return self.teams.get(self.cleaned_data["owner"])
