"""Changing many cases at once from the case list, and undoing it.

Every case goes through `access_case` (so each is checked and locked on its own) and through
the same service a change on the case page uses, so each gets its timeline event and the apps
plugged into "case_changed" react to it as they would to a single change. A bulk change keeps
each case's values before and after; undoing it puts the old values back through the same
services, on the cases nobody has changed since.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from opiekun.accounts.models import User
from opiekun.cases.merging import merge_cases
from opiekun.cases.models import BulkChange, Case
from opiekun.cases.selectors import access_case, access_case_pair, visible_cases
from opiekun.cases.services import assign_case, change_priority, change_status, set_tags
from opiekun.core.errors import Refused

Action = BulkChange.Action

# The case values each action may change (assigning a new case also opens it).
FIELDS: dict[str, tuple[str, ...]] = {
    Action.ASSIGN: ("assignee", "status"),
    Action.STATUS: ("status",),
    Action.PRIORITY: ("priority",),
    Action.ADD_TAGS: ("tags",),
    Action.REMOVE_TAGS: ("tags",),
    Action.MERGE: (),
}

# More than this many cases in one bulk change is refused (one transaction holds them all).
MOST_CASES = 500


class BulkRefused(Refused):
    pass


@dataclass(frozen=True)
class BulkRequest:
    """What to do to every chosen case. `agent` None with ASSIGN means "nobody"; `tags` are
    names; `into` is the number of the case the others merge into."""

    action: str
    agent: User | None = None
    status: str = ""
    priority: str = ""
    tags: list[str] = field(default_factory=list)
    into: str = ""


@dataclass(frozen=True)
class Planned:
    """One chosen case: its values now and after the change (None: it stays as it is)."""

    case: Case
    before: dict[str, Any]
    after: dict[str, Any] | None


def case_values(case: Case, fields: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        if name == "assignee":
            values[name] = case.assignee_id
        elif name == "tags":
            values[name] = sorted(tag.name for tag in case.tags.all())
        else:
            values[name] = getattr(case, name)
    return values


def _values_after(
    case: Case, request: BulkRequest, *, agent_teams: set[int]
) -> dict[str, Any] | None:
    """The case's values once the request is applied, or None when nothing would change (it
    already has them, or the agent is not a member of the case's team)."""
    before = case_values(case, FIELDS[request.action])
    after = dict(before)
    if request.action == Action.ASSIGN:
        if request.agent is not None and case.team_id not in agent_teams:
            return None
        after["assignee"] = request.agent.pk if request.agent else None
        if request.agent is not None and case.status == Case.Status.NEW:
            after["status"] = Case.Status.OPEN
    elif request.action == Action.STATUS:
        after["status"] = request.status
    elif request.action == Action.PRIORITY:
        after["priority"] = request.priority
    elif request.action == Action.ADD_TAGS:
        after["tags"] = sorted(set(before["tags"]) | _tag_set(request.tags))
    elif request.action == Action.REMOVE_TAGS:
        after["tags"] = sorted(set(before["tags"]) - _tag_set(request.tags))
    return None if after == before else after


def _tag_set(names: list[str]) -> set[str]:
    # As set_tags stores them.
    return {name.strip().lower()[:50] for name in names if name.strip()}


def _agent_teams(request: BulkRequest) -> set[int]:
    if request.agent is None:
        return set()
    return set(request.agent.teams.values_list("pk", flat=True))


def plan_bulk_change(user: User, numbers: list[str], request: BulkRequest) -> list[Planned]:
    """The chosen cases the user may see, each with what the request would change, for the
    confirmation step. Cases the user may not see are left out, as if they did not exist."""
    cases = (
        visible_cases(user)
        .filter(number__in=numbers[:MOST_CASES])
        .select_related("assignee", "team", "customer")
        .prefetch_related("tags")
        .order_by("pk")
    )
    agent_teams = _agent_teams(request)
    planned = []
    for case in cases:
        if request.action == Action.MERGE:
            after = None if case.number == request.into else {"merged_into": request.into}
            planned.append(Planned(case=case, before={}, after=after))
            continue
        before = case_values(case, FIELDS[request.action])
        planned.append(
            Planned(
                case=case,
                before=before,
                after=_values_after(case, request, agent_teams=agent_teams),
            )
        )
    return planned


@transaction.atomic
def bulk_change(numbers: list[str], *, request: BulkRequest, by: User) -> BulkChange | None:
    """Apply `request` to each of the cases numbered `numbers` that `by` may see, and return
    the record of what changed (None when nothing did).

    Cases are locked one by one, lowest id first, so two bulk changes over the same cases
    queue instead of deadlocking. A case `by` may not see is skipped as if it did not exist;
    so is one that already has the values, or (assigning) whose team the agent is not in.
    Merging folds every other chosen case into the one numbered `request.into`; it cannot be
    undone, and a case the merge refuses (already merged) is skipped.
    """
    if len(numbers) > MOST_CASES:
        raise BulkRefused(
            _("At most %(count)s cases can be changed at once.") % {"count": MOST_CASES}
        )
    ordered = list(
        visible_cases(by).filter(number__in=numbers).order_by("pk").values_list("number", flat=True)
    )
    if request.action == Action.MERGE:
        changes = _merge(ordered, request=request, by=by)
    else:
        changes = _change(ordered, request=request, by=by)
    if not changes:
        return None
    return BulkChange.objects.create(by=by, action=request.action, changes=changes)


def _change(numbers: list[str], *, request: BulkRequest, by: User) -> list[dict[str, Any]]:
    agent_teams = _agent_teams(request)
    changes = []
    for number in numbers:
        try:
            case = access_case(by, number, for_update=True)
        except Http404:
            continue  # merged or moved out of sight since the list was shown
        after = _values_after(case, request, agent_teams=agent_teams)
        if after is None:
            continue
        before = case_values(case, FIELDS[request.action])
        _set_values(case, after, by=by)
        changes.append({"case": case.pk, "number": case.number, "before": before, "after": after})
    return changes


def _merge(numbers: list[str], *, request: BulkRequest, by: User) -> list[dict[str, Any]]:
    if request.into not in numbers:
        raise BulkRefused(_("Choose which of the chosen cases the others merge into."))
    changes = []
    for number in numbers:
        if number == request.into:
            continue
        try:
            source, into = access_case_pair(by, number, request.into)
            merge_cases(source, into=into, by=by)
        except (Http404, Refused):
            continue
        changes.append(
            {"case": source.pk, "number": number, "before": {}, "after": {"merged_into": into.pk}}
        )
    return changes


def _set_values(case: Case, values: dict[str, Any], *, by: User) -> None:
    """Give the case `values` through the services, the assignee before the status (assigning
    a new case opens it; the status set after has the last word)."""
    if "assignee" in values and values["assignee"] != case.assignee_id:
        agent = User.objects.filter(pk=values["assignee"]).first() if values["assignee"] else None
        assign_case(case, to=agent, by=by)
    if "status" in values and values["status"] != case.status:
        change_status(case, status=values["status"], by=by)
    if "priority" in values and values["priority"] != case.priority:
        change_priority(case, priority=values["priority"], by=by)
    if "tags" in values:
        set_tags(case, names=values["tags"], by=by)


@dataclass(frozen=True)
class Undone:
    restored: int
    left: int  # changed by someone since, merged away or out of sight: left as they are


@transaction.atomic
def undo_bulk_change(change: BulkChange, *, by: User) -> Undone:
    """Put back the values `change` replaced, through the same services, on every case that
    still has the values the change gave it. Each case is checked and locked again.

    The caller has reached `change` through `access_bulk_change` (it is theirs and recent).
    Raises BulkRefused when it was undone already or was a merge.
    """
    change = BulkChange.objects.select_for_update().get(pk=change.pk)
    if change.undone_at is not None:
        raise BulkRefused(_("This change has already been undone."))
    if change.action == Action.MERGE:
        raise BulkRefused(_("A merge cannot be undone."))
    restored = left = 0
    for entry in sorted(change.changes, key=lambda item: item["case"]):
        try:
            case = access_case(by, entry["number"], for_update=True)
        except Http404:
            left += 1
            continue
        fields = tuple(entry["after"])
        if case.pk != entry["case"] or case_values(case, fields) != entry["after"]:
            left += 1
            continue
        _set_values(case, entry["before"], by=by)
        restored += 1
    change.undone_at = timezone.now()
    change.save(update_fields=["undone_at"])
    return Undone(restored=restored, left=left)
