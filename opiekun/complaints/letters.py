"""The decision letter: a PDF in the customer's language, rendered once and never changed."""

from datetime import datetime
from pathlib import Path

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from opiekun.complaints.models import Complaint

FONTS = Path(__file__).resolve().parent / "fonts"


def _paragraph(pdf: FPDF, text: str, *, bold: bool = False, size: int = 11) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def render_decision_letter(complaint: Complaint, *, language: str, when: datetime) -> bytes:
    """Render the decision letter as PDF bytes. `when` is the letter's date, so rendering the
    same complaint at the same moment gives the same text."""
    case = complaint.case
    with translation.override(language):
        pdf = FPDF(format="A4")
        pdf.set_creation_date(when)
        pdf.set_title(_("Answer to your complaint %(number)s") % {"number": case.number})
        pdf.set_author(case.team.name)
        pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_margins(22, 20, 22)
        pdf.add_page()
        local = timezone.localtime(when)
        _paragraph(pdf, case.team.name, bold=True)
        _paragraph(pdf, formats.date_format(local.date(), "DATE_FORMAT"))
        _paragraph(pdf, str(case.customer))
        _paragraph(
            pdf,
            _("Answer to your complaint %(number)s") % {"number": case.number},
            bold=True,
            size=14,
        )
        facts = [
            (_("Product or service"), complaint.subject_matter),
            (_("Order or proof of purchase"), complaint.order_reference or "—"),
            (
                _("Complaint received"),
                formats.date_format(
                    timezone.localtime(complaint.received_at).date(), "DATE_FORMAT"
                ),
            ),
            (_("Your demand"), complaint.get_demand_display()),
        ]
        if complaint.demand_amount is not None:
            facts.append((_("Amount"), formats.number_format(complaint.demand_amount, 2)))
        for label, value in facts:
            _paragraph(pdf, f"{label}: {value}")
        _paragraph(pdf, _("What you told us"), bold=True)
        _paragraph(pdf, complaint.understanding or complaint.description)
        _paragraph(pdf, _("Our decision"), bold=True)
        _paragraph(pdf, DECISION_SENTENCES[Complaint.Decision(complaint.decision)]())
        if complaint.decision_reasons:
            _paragraph(pdf, _("Reasons"), bold=True)
            _paragraph(pdf, complaint.decision_reasons)
        if complaint.regime.legal_basis:
            _paragraph(
                pdf,
                _("Legal basis: %(basis)s") % {"basis": complaint.regime.legal_basis},
                size=9,
            )
        _paragraph(
            pdf,
            _(
                "If you have questions, reply to this email or quote case number %(number)s "
                "when you contact us."
            )
            % {"number": case.number},
        )
        return bytes(pdf.output())


DECISION_SENTENCES = {
    Complaint.Decision.ACCEPTED: lambda: _("We accept your complaint."),
    Complaint.Decision.PARTLY_ACCEPTED: lambda: _("We accept your complaint in part."),
    Complaint.Decision.REJECTED: lambda: _("We cannot accept your complaint."),
}
