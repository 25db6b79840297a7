"""The goodwill panel beside a case (the "case_panels" plug-in point of cases)."""

from opiekun.accounts.models import User
from opiekun.cases.models import Case
from opiekun.cases.panels import Panel
from opiekun.feedback.views import goodwill_panel_context


def goodwill_panel(case: Case, user: User) -> Panel:
    return Panel("feedback/partials/_goodwill_panel.html", goodwill_panel_context(case), 30)
