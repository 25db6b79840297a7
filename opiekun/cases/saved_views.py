"""Saved views of the case list: a tab, its filters and its sort kept under a name."""

from urllib.parse import urlencode

from django.http import QueryDict

from opiekun.accounts.models import Team, User
from opiekun.cases.models import SavedView

# What a saved view keeps of a list's address: the tab, the sort and the filter bar's fields
# (opiekun.cases.forms.FilterForm). A page cursor or anything else is dropped.
KEPT = (
    "tab",
    "sort",
    "q",
    "status",
    "priority",
    "kind",
    "channel",
    "team",
    "assignee",
    "tag",
    "language",
    "customer",
    "created_from",
    "created_to",
)


def list_query(query: str) -> str:
    """`query` (a list's query string) with only what a saved view keeps, in a fixed order."""
    params = QueryDict(query)
    return urlencode([(name, params[name]) for name in KEPT if params.get(name)])


def save_view(name: str, *, query: str, for_team: Team | None, by: User) -> SavedView:
    """Keep the list `query` as a view named `name`: for `for_team` when given (the caller
    checked `teams_to_save_views_for`), otherwise for `by` alone."""
    return SavedView.objects.create(
        name=name.strip(),
        user=None if for_team else by,
        team=for_team,
        query=list_query(query),
        created_by=by,
    )


def delete_view(view: SavedView) -> None:
    """Delete a view the caller reached through `access_saved_view`."""
    view.delete()
