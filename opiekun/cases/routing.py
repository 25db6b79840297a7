"""Automatic assignment: which team member gets a new case.

Each team chooses how its cases are handed out (`Team.routing`):

- manual: nobody is picked; a lead or agent assigns by hand;
- round robin: the next member after the one who got the last case, in a stable order (by id),
  wrapping around;
- least loaded: the member holding the fewest open cases (ties go to the lower id).

Only members who can take work are considered: active, ONLINE and holding fewer open cases than
their capacity (a capacity of 0 keeps someone, e.g. a lead, out of routing). With
`Team.route_by_skill`, a member must also handle the case's language, kind and channel; an empty
skill list means "any".
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case
from opiekun.cases.services import assign_case


@dataclass(frozen=True)
class Candidate:
    agent: User
    open_cases: int


def _handles(skills: object, value: str) -> bool:
    # An empty (or missing) list means the member handles everything.
    if not isinstance(skills, list) or not skills:
        return True
    return value in skills


def routing_candidates(team: Team, case: Case) -> list[Candidate]:
    """The team's members who could take `case` now, ordered by id, with their open cases.

    Open cases are counted across every team: capacity belongs to the person, not the team.
    """
    open_assigned = Q(
        assigned_cases__status__in=Case.OPEN_STATUSES,
        assigned_cases__merged_into__isnull=True,
    )
    members = (
        team.members.filter(is_active=True, availability=User.Availability.ONLINE)
        .annotate(open_cases=Count("assigned_cases", filter=open_assigned))
        .order_by("pk")
    )
    candidates = []
    for member in members:
        load: int = member.open_cases
        if load >= member.capacity:
            continue
        if team.route_by_skill and not (
            _handles(member.skill_languages, case.language)
            and _handles(member.skill_kinds, case.kind)
            and _handles(member.skill_channels, case.channel)
        ):
            continue
        candidates.append(Candidate(agent=member, open_cases=load))
    return candidates


def _next_in_turn(candidates: list[Candidate], last_id: int | None) -> Candidate:
    if last_id is not None:
        for candidate in candidates:
            if candidate.agent.pk > last_id:
                return candidate
    return candidates[0]


def _least_loaded(candidates: list[Candidate]) -> Candidate:
    return min(candidates, key=lambda candidate: (candidate.open_cases, candidate.agent.pk))


@transaction.atomic(savepoint=False)
def route_case(case: Case, *, by: User | None = None) -> User | None:
    """Assign an unassigned open case by its team's routing rule; return who got it.

    Returns the current assignee untouched when the case is already assigned or no longer
    open, and None when the team routes manually or no member can take the case now (the case
    stays unassigned for the team's queue).

    Call inside a transaction that holds the case's row lock. The team row is locked here
    (always after the case, never before), so two processes routing at once take turns and
    never give the same round-robin slot twice.
    """
    if case.assignee_id is not None or not case.is_open():
        return case.assignee
    if case.team.routing == Team.Routing.MANUAL:
        return None  # Nothing to hand out: no need to lock the team.
    team = Team.objects.select_for_update().get(pk=case.team_id)
    if team.routing == Team.Routing.MANUAL:
        return None
    candidates = routing_candidates(team, case)
    if not candidates:
        return None
    if team.routing == Team.Routing.ROUND_ROBIN:
        chosen = _next_in_turn(candidates, team.last_assigned_id)
    else:
        chosen = _least_loaded(candidates)
    team.last_assigned = chosen.agent
    team.save(update_fields=["last_assigned"])
    assign_case(case, to=chosen.agent, by=by)
    return chosen.agent
