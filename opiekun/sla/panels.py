"""The promises and service-level targets panel beside a case ("case_panels" of cases)."""

from opiekun.accounts.models import User
from opiekun.cases.models import Case
from opiekun.cases.panels import Panel
from opiekun.sla.views import sla_panel_context


def sla_panel(case: Case, user: User) -> Panel:
    return Panel("sla/partials/_sla_panel.html", sla_panel_context(case), 20)
