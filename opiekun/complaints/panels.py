"""The complaint panel beside a case (the "case_panels" plug-in point of cases)."""

from opiekun.accounts.models import User
from opiekun.cases.models import Case
from opiekun.cases.panels import Panel
from opiekun.complaints.views import complaint_panel_context


def complaint_panel(case: Case, user: User) -> Panel:
    return Panel("complaints/partials/_complaint_panel.html", complaint_panel_context(case), 10)
