"""Panels beside a case: each app built on cases plugs a function into "case_panels" that
returns its panel (or None), and the case page shows them in order."""

from dataclasses import dataclass
from typing import Any

from opiekun.accounts.models import User
from opiekun.cases.models import Case
from opiekun.core.plugins import plugged


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict[str, Any]
    order: int = 50  # lower first


def case_panels(case: Case, user: User) -> list[Panel]:
    """Every app's panel for this case, for this user, in order."""
    panels = [panel for build in plugged("case_panels") if (panel := build(case, user))]
    return sorted(panels, key=lambda panel: panel.order)
