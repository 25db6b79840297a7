"""The decision letter: a PDF in the customer's language, rendered once and never changed.

It carries the company's letterhead (`COMPANY_NAME`, `COMPANY_ADDRESS`,
`COMPANY_REGISTRATION`; the team's name when no company is configured), the customer's
postal address from their known facts, and the name and role of the person who issues it."""

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align

from opiekun.accounts.models import User
from opiekun.complaints.models import Complaint
from opiekun.complaints.selectors import postal_address

FONTS = Path(__file__).resolve().parent / "fonts"


def _paragraph(
    pdf: FPDF, text: str, *, bold: bool = False, size: int = 11, align: Align = Align.L
) -> None:
    pdf.set_font("DejaVu", "B" if bold else "", size)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT", align=align)
    pdf.ln(2)


def _lines(pdf: FPDF, lines: list[str], *, size: int = 11) -> None:
    """Lines set close together, as in an address block."""
    pdf.set_font("DejaVu", "", size)
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)


def _letterhead(pdf: FPDF, complaint: Complaint) -> None:
    """The company as configured (name, address, registration number) above a rule; the
    team's name when no company is configured."""
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 6, _company_name(complaint), new_x="LMARGIN", new_y="NEXT")
    for text, size in ((settings.COMPANY_ADDRESS, 9), (settings.COMPANY_REGISTRATION, 8)):
        if text:
            pdf.set_font("DejaVu", "", size)
            pdf.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(6)


def _company_name(complaint: Complaint) -> str:
    return str(settings.COMPANY_NAME or complaint.case.team.name)


def render_decision_letter(
    complaint: Complaint, *, language: str, when: datetime, signer: User
) -> bytes:
    """Render the decision letter as PDF bytes, signed by `signer` (who issues it). `when`
    is the letter's date, so rendering the same complaint at the same moment gives the same
    text."""
    case = complaint.case
    with translation.override(language):
        pdf = FPDF(format="A4")
        pdf.set_creation_date(when)
        pdf.set_title(_("Answer to your complaint %(number)s") % {"number": case.number})
        pdf.set_author(_company_name(complaint))
        pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        pdf.set_margins(22, 20, 22)
        pdf.add_page()
        _letterhead(pdf, complaint)
        local = timezone.localtime(when)
        _paragraph(pdf, formats.date_format(local.date(), "DATE_FORMAT"), align=Align.R)
        _lines(pdf, [str(case.customer), *postal_address(case.customer)])
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
        pdf.ln(4)
        _lines(
            pdf,
            [
                _("Yours sincerely,"),
                "",
                str(signer),
                _("%(role)s, %(team)s") % {"role": signer.get_role_display(), "team": case.team},
            ],
        )
        return bytes(pdf.output())


DECISION_SENTENCES = {
    Complaint.Decision.ACCEPTED: lambda: _("We accept your complaint."),
    Complaint.Decision.PARTLY_ACCEPTED: lambda: _("We accept your complaint in part."),
    Complaint.Decision.REJECTED: lambda: _("We cannot accept your complaint."),
}
