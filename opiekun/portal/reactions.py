"""How the portal reacts to changes of a case (the "case_changed" plug-in point of cases)."""

from django.db import transaction

from opiekun.cases.services import CaseChange
from opiekun.portal.tasks import send_status_email


def status_changed(change: CaseChange) -> None:
    """Tell the customer of a new status after commit (the task checks the status is still
    current and set to notify)."""
    if change.field != "status" or not change.notify_customer:
        return
    case_id, status = change.case.pk, str(change.after)
    transaction.on_commit(lambda: send_status_email.enqueue(case_id, status))
