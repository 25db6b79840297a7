"""Forms of the agent desk: the list's filter bar, the case controls, replies and notes,
merging, splitting and linking."""

from typing import Any, Literal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opiekun.accounts.models import Team, User
from opiekun.cases.filters import UNASSIGNED, CaseFilters
from opiekun.cases.models import Case, CaseLink, Channel, Macro
from opiekun.core.forms import MultipleFileField
from opiekun.core.languages import Language

ANY = [("", pgettext_lazy("filter", "Any"))]


class FilterForm(forms.Form):
    """The list's filter bar; `filters()` turns what was chosen into `CaseFilters`."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Case number, name, email or phone")}
        ),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + Case.Status.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=ANY + Case.Priority.choices
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + Case.Kind.choices)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=ANY + Channel.choices)
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=ANY[0][1]
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=ANY + Language.choices
    )
    customer = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    created_from = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = forms.DateField(
        label=_("Created to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, teams: Any, agents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        assert isinstance(team_field, forms.ModelChoiceField)  # noqa: S101 (declared above)
        team_field.queryset = teams
        assignee_field = self.fields["assignee"]
        assert isinstance(assignee_field, forms.ChoiceField)  # noqa: S101 (declared above)
        assignee_field.choices = [
            *ANY,
            (UNASSIGNED, _("Nobody")),
            *((str(agent.pk), str(agent)) for agent in agents),
        ]
        for field in self.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["data-autosubmit"] = ""

    def filters(self) -> CaseFilters:
        """The chosen filters; call after is_valid(). Invalid fields do not narrow."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        chosen = data.get("assignee") or ""
        assignee: int | Literal["none"] | None = None
        if chosen == UNASSIGNED:
            assignee = "none"  # filters.UNASSIGNED, spelled as its Literal type
        elif chosen:
            assignee = int(chosen)
        team = data.get("team")
        return CaseFilters(
            status=data.get("status") or None,
            priority=data.get("priority") or None,
            kind=data.get("kind") or None,
            channel=data.get("channel") or None,
            team=team.pk if team is not None else None,
            assignee=assignee,
            tag=(data.get("tag") or "").strip() or None,
            language=data.get("language") or None,
            customer=data.get("customer"),
            created_from=data.get("created_from"),
            created_to=data.get("created_to"),
            q=(data.get("q") or "").strip() or None,
        )


class ControlForm(forms.Form):
    """A property in the case's side panel. With HTMX its form saves as soon as the value
    changes (hx-trigger="change" in _control.html); without JavaScript its Save button does."""

    def fetch_choices(self) -> None:
        """Fetch each model choice once, for a form that is only shown: a required select
        without an empty choice would otherwise query twice (once more to decide whether it
        can carry `required`)."""
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                # iter(): list() of the iterator itself would ask for a COUNT first.
                field.choices = list(iter(field.iterator(field)))


class AssignForm(ControlForm):
    agent = forms.ModelChoiceField(
        label=_("Assignee"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("Nobody"),
    )

    def __init__(self, *args: Any, agents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agent"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (declared above)
        field.queryset = agents

    def offer(self, agents: list[User]) -> None:
        """Show these agents, already fetched, as the choices (no second query when the
        form is only displayed)."""
        field = self.fields["agent"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (declared above)
        field.choices = [("", field.empty_label), *((agent.pk, str(agent)) for agent in agents)]


class StatusForm(ControlForm):
    status = forms.ChoiceField(label=_("Status"), choices=Case.Status.choices)


class PriorityForm(ControlForm):
    priority = forms.ChoiceField(label=_("Priority"), choices=Case.Priority.choices)


class KindForm(ControlForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Case.Kind.choices)


class TeamForm(ControlForm):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), empty_label=None)


class TagsForm(ControlForm):
    """The case's tags: either the whole list (`tags`, comma-separated) or a change to the
    current ones (`add` and `remove`, as the chips send), so that adding a tag never drops one
    another agent added a moment ago."""

    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separate tags with commas."),
    )
    add = forms.CharField(label=_("Add a tag"), required=False, max_length=1000)
    remove = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def names(self, current: list[str]) -> list[str]:
        """The tags the case should have; call after is_valid()."""
        data = self.cleaned_data
        if "tags" in self.data:
            return tag_names(data["tags"])
        removed = {name.lower() for name in tag_names(data["remove"])}
        kept = [name for name in current if name.lower() not in removed]
        return kept + tag_names(data["add"])


def tag_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def someone_replying_message() -> str:
    return str(
        _(
            "Someone else is writing to this customer right now. Tick “Send anyway” if your "
            "reply should still go out."
        )
    )


# The statuses the reply form offers to set with the reply ("Send and set…"), in its order.
THEN_STATUSES = [
    (status.value, status.label)
    for status in (Case.Status.PENDING_CUSTOMER, Case.Status.PENDING_INTERNAL, Case.Status.RESOLVED)
]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply to the customer"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    send_anyway = forms.BooleanField(
        label=_("Send anyway: I know someone else is replying"), required=False
    )
    # The macro whose text was inserted: its "then set status" applies when the reply is sent,
    # shown beside the Send button as a ticked box the agent can untick (never silently).
    macro_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Sent by the "Send and set…" buttons: the status the case takes after the reply. The
    # agent pressed it, so it wins over a macro's status.
    then_status = forms.ChoiceField(required=False, choices=THEN_STATUSES, widget=forms.HiddenInput)


class NoteForm(forms.Form):
    prefix = "note"
    body = forms.CharField(
        label=_("Internal note"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only staff see notes; the customer never does."),
    )


class MacroForm(forms.Form):
    prefix = "macro"
    # Optional: the picker sits inside the reply form, which must send without a macro.
    macro = forms.ModelChoiceField(
        label=_("Macro"),
        queryset=Macro.objects.none(),
        empty_label=_("Choose a macro…"),
        required=False,
    )

    def __init__(self, *args: Any, macros: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["macro"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (declared above)
        field.queryset = macros


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into case number"),
        max_length=16,
        help_text=_("This case is closed and its interactions move to the other case."),
    )


class SplitForm(forms.Form):
    subject = forms.CharField(label=_("Subject of the new case"), required=False, max_length=300)


class LinkForm(forms.Form):
    prefix = "link"
    other = forms.CharField(label=_("Case number"), max_length=16)
    kind = forms.ChoiceField(label=_("Link"), choices=CaseLink.Kind.choices)
