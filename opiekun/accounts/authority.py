"""Authority limits: how much a member of staff may grant without approval."""

from decimal import Decimal

from opiekun.accounts.models import AuthorityLimit, User


def limit_for(user: User, kind: str) -> Decimal:
    """The user's own limit if set, else their role's, else nothing (0)."""
    personal = AuthorityLimit.objects.filter(user=user, kind=kind).first()
    if personal is not None:
        return personal.up_to
    by_role = AuthorityLimit.objects.filter(user__isnull=True, role=user.role, kind=kind).first()
    return by_role.up_to if by_role is not None else Decimal(0)


def may_grant(user: User, kind: str, amount: Decimal) -> bool:
    return user.is_active and amount <= limit_for(user, kind)
