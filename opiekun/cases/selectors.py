"""Reading cases. Every view and API endpoint reaches a case through `access_case`, and lists
start from `visible_cases`, so the rule "who may see which case" lives only here."""

from django.db.models import QuerySet
from django.http import Http404

from opiekun.accounts.models import User
from opiekun.cases.models import Case


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
