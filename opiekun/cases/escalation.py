"""What a breached service-level target does to its case (the "sla_target_breached" plug-in
point of sla): the priority goes up a step and the case goes to the policy's agent."""

from opiekun.cases.models import Case
from opiekun.cases.services import assign_case, change_priority
from opiekun.sla.models import SlaTarget

PRIORITY_STEPS = [Case.Priority.LOW, Case.Priority.NORMAL, Case.Priority.HIGH, Case.Priority.URGENT]


def escalate_case(target: SlaTarget) -> None:
    """Raise the case's priority and reassign it, as the target's policy says."""
    policy, case = target.policy, target.case
    if policy is None:
        return
    if policy.escalate_raise_priority and case.priority != Case.Priority.URGENT:
        step = PRIORITY_STEPS.index(Case.Priority(case.priority)) + 1
        change_priority(case, priority=PRIORITY_STEPS[step], by=None)
    if policy.escalate_reassign_to is not None:
        assign_case(case, to=policy.escalate_reassign_to, by=None)
