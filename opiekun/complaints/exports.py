"""The complaints register as CSV or XLSX, for an audit."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from opiekun.complaints.models import Complaint
from opiekun.complaints.selectors import answered_in_time, delivered_at


def _when(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")  # type: ignore[arg-type]
    return str(value)


def register_table(complaints: Iterable[Complaint]) -> tuple[list[str], list[list[str]]]:
    header = [
        _("case"), _("customer"), _("legal regime"), _("customer is a"), _("received"),
        _("received by"), _("answer due"), _("extended to"), _("state"),
        _("understanding confirmed"), _("decision"), _("decided"), _("answer delivered"),
        _("in time"), _("letter SHA-256"),
    ]  # fmt: skip
    rows = []
    for complaint in complaints:
        in_time = answered_in_time(complaint)
        letters = list(complaint.letters.all())
        rows.append(
            [
                complaint.case.number,
                str(complaint.case.customer),
                complaint.regime.name,
                complaint.get_customer_type_display(),
                _when(complaint.received_at),
                complaint.get_received_channel_display(),
                _when(complaint.answer_due),
                _when(complaint.extended_due),
                complaint.get_state_display(),
                _when(complaint.understanding_confirmed_at),
                complaint.get_decision_display(),
                _when(complaint.decided_at),
                _when(delivered_at(complaint)),
                "" if in_time is None else (_("yes") if in_time else _("no")),
                letters[-1].sha256 if letters else "",
            ]
        )
    return header, rows


def register_csv(complaints: Iterable[Complaint]) -> bytes:
    header, rows = register_table(complaints)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode()  # the BOM makes Excel read UTF-8


def register_xlsx(complaints: Iterable[Complaint]) -> bytes:
    header, rows = register_table(complaints)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 (a new workbook always has one sheet)
    sheet.title = _("Complaints")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
