"""Reading cases. Every view and API endpoint reaches a case through `access_case`, and lists
start from `visible_cases`, so the rule "who may see which case" lives only here."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, TextChoices
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opiekun.accounts.models import Team, User
from opiekun.cases.events import GENERIC_TEMPLATE, EventKind
from opiekun.cases.models import (
    Attachment,
    BulkChange,
    Case,
    CaseLink,
    Event,
    Interaction,
    Presence,
    SavedView,
)
from opiekun.core.plugins import plugged
from opiekun.core.sanitise import sanitise_html
from opiekun.sla.models import SlaTarget


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases the user may see: managers and admins every team's, others their own teams'."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    cases = Case.objects.filter(merged_into__isnull=True)
    if user.sees_all_teams:
        return cases
    return cases.filter(team__in=user.teams.values("pk"))


def can_see_case(user: User, case: Case) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.sees_all_teams or user.teams.filter(pk=case.team_id).exists()


def access_case(user: User, number: str, *, for_update: bool = False) -> Case:
    """Fetch a case by number if the user may see it; 404 otherwise, so a guessed number
    reveals nothing. A merged case resolves to the case it was merged into."""
    cases = Case.objects.select_related("customer", "team", "assignee")
    if for_update:
        cases = cases.select_for_update(of=("self",))
    case = cases.filter(number=number).first()
    if case is not None and case.merged_into_id is not None:
        case = cases.filter(pk=case.merged_into_id).first()
    if case is None or not can_see_case(user, case):
        raise Http404("No such case")
    return case


def access_case_pair(user: User, number: str, other: str) -> tuple[Case, Case]:
    """Both cases, locked lower id first (see merging.py), if the user may see both; else 404."""
    first, second = access_case(user, number), access_case(user, other)
    ordered = sorted([first, second], key=lambda case: case.pk)
    locked = {case.pk: access_case(user, case.number, for_update=True) for case in ordered}
    return locked[first.pk], locked[second.pk]


def access_interaction(user: User, case: Case, interaction_id: int) -> Interaction:
    """An interaction of a case the caller already reached through `access_case`."""
    interaction = Interaction.objects.filter(case=case, pk=interaction_id).first()
    if interaction is None:
        raise Http404("No such interaction")
    interaction.case = case
    return interaction


def access_attachment(user: User, number: str, attachment_id: int) -> Attachment:
    """A file, reached through the case it belongs to: whoever may not see the case gets 404."""
    case = access_case(user, number)
    attachment = (
        Attachment.objects.select_related("interaction")
        .filter(pk=attachment_id, interaction__case=case)
        .first()
    )
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


def access_link(user: User, case: Case, link_id: int) -> CaseLink:
    """A link of a case the caller reached through `access_case`; the other end must be
    visible too."""
    link = (
        CaseLink.objects.select_related("source", "target")
        .filter(Q(source=case) | Q(target=case), pk=link_id)
        .first()
    )
    if link is None:
        raise Http404("No such link")
    other = link.target if link.source_id == case.pk else link.source
    if not can_see_case(user, other):
        raise Http404("No such link")
    return link


# Lists


class Tab(TextChoices):
    """The case list's tabs."""

    MINE = "mine", _("My cases")
    TEAM = "team", _("My team's")
    UNASSIGNED = "unassigned", _("Unassigned")
    ALL = "all", _("All I may see")


RECENT_FIRST = ("-updated_at", "-id")
OLDEST_FIRST = ("created_at", "id")


class Sort(TextChoices):
    """The orders a list can be shown in; each is read in index order on every tab."""

    ACTIVITY = "activity", _("Last activity, newest first")
    ACTIVITY_OLDEST = "activity_asc", _("Last activity, oldest first")
    CREATED = "created", _("Oldest first")
    CREATED_NEWEST = "created_desc", _("Newest first")
    PRIORITY = "priority", _("Most urgent first")
    PRIORITY_LOWEST = "priority_asc", _("Least urgent first")


SORT_ORDERS: dict[str, tuple[str, ...]] = {
    Sort.ACTIVITY: RECENT_FIRST,
    Sort.ACTIVITY_OLDEST: ("updated_at", "id"),
    Sort.CREATED: OLDEST_FIRST,
    Sort.CREATED_NEWEST: ("-created_at", "-id"),
    Sort.PRIORITY: ("priority_rank", "-updated_at", "-id"),
    Sort.PRIORITY_LOWEST: ("-priority_rank", "updated_at", "id"),
}


def default_sort(tab: str) -> str:
    """Unassigned shows the longest wait on top; the other tabs the latest activity."""
    return Sort.CREATED if tab == Tab.UNASSIGNED else Sort.ACTIVITY


def _team_filter(user: User) -> Q:
    # The ids are read first: with one team (the usual case) the database sees `team_id = 7`
    # and walks the team's index in order instead of sorting.
    team_ids = list(user.teams.values_list("pk", flat=True))
    if len(team_ids) == 1:
        return Q(team_id=team_ids[0])
    return Q(team_id__in=team_ids)


def tab_cases(
    user: User, tab: str, sort: str | None = None
) -> tuple[QuerySet[Case], tuple[str, ...]]:
    """The cases of one list tab and the order they are shown in (`sort`, or the tab's own).

    My cases and My team's hold open cases, most recent activity first; Unassigned holds the
    open cases nobody has, oldest first (so the longest wait is on top); All is every case the
    user may see. Every tab in every `Sort` is read from an index in its order (the indexes
    on Case).
    """
    order = SORT_ORDERS.get(sort or default_sort(tab), SORT_ORDERS[default_sort(tab)])
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none(), order
    return _tab_rows(user, tab), order


def _tab_rows(user: User, tab: str, teams: Q | None = None) -> QuerySet[Case]:
    # The same rows as visible_cases(user), spelled with the team ids read first (see
    # _team_filter) so each tab's query walks one index in its display order.
    cases = Case.objects.filter(merged_into__isnull=True)
    if not user.sees_all_teams:
        teams = teams if teams is not None else _team_filter(user)
        cases = cases.filter(teams)
    open_now = Q(status__in=Case.OPEN_STATUSES)
    if tab == Tab.MINE:
        return cases.filter(open_now, assignee=user)
    if tab == Tab.TEAM:
        # Managers see every team, but "my team's" means the teams they are members of.
        if user.sees_all_teams:
            cases = cases.filter(teams if teams is not None else _team_filter(user))
        return cases.filter(open_now)
    if tab == Tab.UNASSIGNED:
        return cases.filter(open_now, assignee__isnull=True)
    return cases


# Tab counts stop here: "999+" says enough, and no count reads more than this many index
# entries however many cases there are.
COUNT_CAP = 1000


def tab_counts(user: User) -> dict[str, int]:
    """How many cases each tab holds, up to COUNT_CAP (a count of COUNT_CAP means "at least").

    Each is `COUNT(*)` over a subquery limited to COUNT_CAP rows; the open tabs are counted
    from the case_count_* indexes (assignee or team, then status), so closed cases are not
    read.
    """
    if not user.is_authenticated or not user.is_active:
        return dict.fromkeys(Tab.values, 0)
    teams = _team_filter(user)
    return {tab: _tab_rows(user, tab, teams)[:COUNT_CAP].count() for tab in Tab.values}


# Up to this many cases in a list, overdue ones are found case by case; beyond it, by walking
# the overdue targets (see overdue_case_ids).
FEW_CASES = 2000


def overdue_case_ids(cases: QuerySet[Case], *, now: datetime, limit: int) -> list[int]:
    """Ids of up to `limit` of `cases` that have a running, unpaused service-level target past
    its due time, the longest overdue first.

    Two plans, chosen by how many cases the list holds (an index-only count up to FEW_CASES):
    a few are looked up case by case (each case's targets by their case index); many are found
    by walking the running targets past due in due order (the sla_target_running index) and
    keeping those whose case is in the list, so neither costs more than the smaller side.
    """
    breached = SlaTarget.objects.filter(
        met_at__isnull=True, cancelled_at__isnull=True, paused_at__isnull=True, due_at__lt=now
    )
    if cases.order_by()[:FEW_CASES].count() < FEW_CASES:
        first_due = breached.filter(case=OuterRef("pk")).order_by("due_at").values("due_at")[:1]
        overdue = (
            cases.annotate(overdue_since=Subquery(first_due))
            .filter(overdue_since__isnull=False)
            .order_by("overdue_since", "pk")
        )
        return list(overdue.values_list("pk", flat=True)[:limit])
    walk = (
        breached.filter(Exists(cases.filter(pk=OuterRef("case_id"))))
        .order_by("due_at", "case_id")
        .values_list("case_id", flat=True)
    )
    found: list[int] = []
    # A case has at most a few running targets (first response, next response, resolution).
    for case_id in walk[: limit * 4]:
        if case_id not in found:
            found.append(case_id)
            if len(found) == limit:
                break
    return found


# How many changed cases the "new or changed" bar counts before it says "99+".
NEWS_CAP = 100


def changed_since(cases: QuerySet[Case], since: datetime) -> int:
    """How many of `cases` changed after `since`, up to NEWS_CAP; read newest first so the
    query walks the tab's activity index only as far as `since`."""
    changed = cases.filter(updated_at__gt=since).order_by("-updated_at", "-id")
    return len(changed.values_list("pk", flat=True)[:NEWS_CAP])


def saved_views(user: User) -> list[SavedView]:
    """The user's own saved views, then those kept for their teams."""
    if not user.is_authenticated or not user.is_active:
        return []
    views = SavedView.objects.filter(
        Q(user=user) | Q(team__in=user.teams.values("pk"))
    ).select_related("team")
    return sorted(views, key=lambda view: (view.team_id is not None, view.name.lower(), view.pk))


def teams_to_save_views_for(user: User) -> QuerySet[Team]:
    """Teams the user may keep a saved view for: a lead their own, a manager or admin any;
    an agent none (their views are their own)."""
    if not user.is_authenticated or not user.is_active or not user.is_lead_or_above:
        return Team.objects.none()
    return filter_teams(user)


def access_saved_view(user: User, view_id: int) -> SavedView:
    """A saved view the user may change or delete: their own, or a team view of a team they
    may keep views for; 404 otherwise."""
    view = SavedView.objects.filter(pk=view_id).first()
    if view is None:
        raise Http404("No such view")
    if view.user_id is not None and view.user_id == user.pk:
        return view
    if view.team_id is not None and teams_to_save_views_for(user).filter(pk=view.team_id):
        return view
    raise Http404("No such view")


# How long after a bulk change its Undo is offered.
UNDO_MINUTES = 15


def undoable_bulk_change(user: User) -> BulkChange | None:
    """The user's latest bulk change that can still be undone, if any."""
    if not user.is_authenticated:
        return None
    since = timezone.now() - timedelta(minutes=UNDO_MINUTES)
    latest = BulkChange.objects.filter(by=user, created_at__gte=since).order_by("-created_at")
    change = latest.first()
    if change is None or change.undone_at is not None or change.action == BulkChange.Action.MERGE:
        return None
    return change


def access_bulk_change(user: User, change_id: int) -> BulkChange:
    """A bulk change the user made and may still undo; 404 otherwise."""
    since = timezone.now() - timedelta(minutes=UNDO_MINUTES)
    change = (
        BulkChange.objects.filter(pk=change_id, by=user, created_at__gte=since)
        .exclude(action=BulkChange.Action.MERGE)
        .first()
    )
    if change is None:
        raise Http404("No such change")
    return change


def for_list(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Everything a list row shows, in a fixed number of queries whatever the page size.

    Teams and assignees are fetched apart, not joined: joined, SQLite plans a deep page of a
    million cases from the small teams table and sorts every row past the cursor (1.7 s on
    the benchmark instead of tens of milliseconds).
    """
    return cases.select_related("customer").prefetch_related("tags", "team", "assignee")


def assignable_agents(team: Team) -> QuerySet[User]:
    return team.members.filter(is_active=True).order_by("first_name", "last_name", "username")


def filter_teams(user: User) -> QuerySet[Team]:
    if user.sees_all_teams:
        return Team.objects.all()
    return Team.objects.filter(pk__in=user.teams.values("pk"))


def filter_agents(user: User) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, teams__in=filter_teams(user))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# The case page


@dataclass
class TimelineEntry:
    """One row of the case timeline: an interaction (with its body split into the new part
    and the quoted history) or an event (with the name of its kind, the template that renders
    it and display labels for its payload)."""

    at: datetime
    interaction: Interaction | None = None
    event: Event | None = None
    labels: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    template: str = ""
    main: str = ""
    quoted: str = ""
    is_html: bool = False

    @property
    def kind(self) -> str:
        return "interaction" if self.interaction is not None else "event"


# "On Mon, Ann wrote:", "W dniu 3.11 Jan Kowalski pisze:", "Kirjutas Mari 3.11:"; a line of
# underscores or "-----Original Message-----" (Outlook).
_ATTRIBUTION = re.compile(
    r"^(?:on\s.+wrote:|w dniu\s.+(?:pisze|napisał|napisała)\s*:|.+kirjutas\s*:?|"
    r"-+\s*original message\s*-+|_{10,}|-+\s*wiadomość oryginalna\s*-+)\s*$",
    re.IGNORECASE,
)


def fold_text(text: str) -> tuple[str, str]:
    """Split a plain-text message into what is new and the quoted history below it."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped.startswith(">") and not _ATTRIBUTION.match(stripped):
            continue
        main = "\n".join(lines[:index]).rstrip()
        if main:
            return main, "\n".join(lines[index:]).strip()
        return text, ""
    return text, ""


def fold_html(html: str) -> tuple[str, str]:
    """Split sanitised HTML at its first <blockquote>: the new part and the quoted history.

    Each half is cleaned again, which closes the elements the cut left open.
    """
    cut = html.lower().find("<blockquote")
    if cut <= 0:
        return html, ""
    main = sanitise_html(html[:cut])
    if not main.strip():
        return html, ""
    return main, sanitise_html(html[cut:])


def _interaction_entry(interaction: Interaction) -> TimelineEntry:
    if interaction.body_html:
        main, quoted = fold_html(interaction.body_html)
        return TimelineEntry(
            at=interaction.started_at,
            interaction=interaction,
            main=main,
            quoted=quoted,
            is_html=True,
        )
    main, quoted = fold_text(interaction.body_text)
    return TimelineEntry(
        at=interaction.started_at, interaction=interaction, main=main, quoted=quoted
    )


def timeline_events() -> dict[str, EventKind]:
    """Every kind of event the installed apps declare (their "timeline_events" plugs), by
    `Event.kind`. Two apps declaring one kind is a mistake in the code, not in the data."""
    registry: dict[str, EventKind] = {}
    for events in plugged("timeline_events"):
        for kind, declared in events.items():
            if kind in registry:
                raise ImproperlyConfigured(f"Two apps declare the timeline event {kind!r}")
            registry[kind] = declared
    return registry


def _undeclared(kind: str) -> EventKind:
    """An event no installed app declares still shows: who and the kind's name."""
    label = Event.Kind(kind).label if kind in Event.Kind.values else kind
    return EventKind(label=label, template=GENERIC_TEMPLATE)


def _event_entry(event: Event, registry: dict[str, EventKind]) -> TimelineEntry:
    """An event with its template, its kind's name and display values for its payload (who
    did it, choice labels) in the user's language."""
    declared = registry.get(event.kind) or _undeclared(event.kind)
    labels: dict[str, Any] = {
        "actor": str(event.actor) if event.actor is not None else gettext("The system")
    }
    if declared.labels is not None:
        labels.update(declared.labels(event))
    return TimelineEntry(
        at=event.created_at,
        event=event,
        labels=labels,
        label=str(declared.label),
        template=declared.template,
    )


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Every interaction (any channel, notes included) and every event, oldest first."""
    interactions = (
        Interaction.objects.filter(case=case)
        .select_related("author", "customer")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )
    events = Event.objects.filter(case=case).select_related("actor")
    registry = timeline_events()
    entries = [_interaction_entry(item) for item in interactions]
    entries += [_event_entry(event, registry) for event in events]
    # Stable: an event and the interaction that caused it share a timestamp; the
    # interaction comes first.
    entries.sort(key=lambda entry: (entry.at, entry.kind != "interaction"))
    return entries


def case_links(case: Case, user: User) -> list[CaseLink]:
    """The case's links whose other end the user may see (a hidden case's subject stays
    hidden)."""
    links = CaseLink.objects.filter(Q(source=case) | Q(target=case))
    if not user.sees_all_teams:
        teams = user.teams.values("pk")
        links = links.filter(
            Q(source=case, target__team__in=teams) | Q(target=case, source__team__in=teams)
        )
    return list(links.select_related("source", "target").order_by("created_at", "id"))


# Presence


def fresh_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(seconds=settings.PRESENCE_SECONDS)


def others_present(case: Case, user: User) -> list[Presence]:
    """Other staff with the case open now; those writing to the customer first."""
    cutoff = fresh_cutoff()
    present = (
        Presence.objects.filter(case=case, seen_at__gte=cutoff)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )
    return sorted(present, key=lambda item: not item.is_replying(cutoff))


def others_replying(case: Case, user: User) -> list[User]:
    cutoff = fresh_cutoff()
    return [item.user for item in others_present(case, user) if item.is_replying(cutoff)]
