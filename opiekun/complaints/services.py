"""Complaint workflow: register (which starts the statutory clock), listen and check
understanding, propose, decide. Each step is recorded on the case timeline."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opiekun.accounts.authority import may_grant
from opiekun.accounts.models import AuthorityLimit, User
from opiekun.cases.models import Case, Channel
from opiekun.cases.services import add_reply, change_kind, send_to_customer
from opiekun.complaints.events import (
    complaint_acknowledged_event,
    complaint_decided_event,
    complaint_registered_event,
    deadline_extended_event,
    decision_letter_sent_event,
    proposal_answered_event,
    solution_proposed_event,
    understanding_confirmed_event,
    understanding_corrected_event,
    understanding_recorded_event,
)
from opiekun.complaints.letters import render_decision_letter
from opiekun.complaints.models import Complaint, ComplaintRegime, DecisionLetter, Proposal
from opiekun.core.errors import Refused
from opiekun.sla.business_time import add_days_with_rollover
from opiekun.sla.models import ClosedDay


class ComplaintError(Refused):
    """A step that the workflow or the law does not allow; the message is translated."""


def answer_deadline(regime: ComplaintRegime, received_at: datetime) -> date:
    """The statutory answer date for a complaint received at `received_at`, counted in the
    regime's time zone on its calendar's public holidays."""
    received = timezone.localtime(received_at, regime.calendar.zone).date()
    horizon = received + timedelta(days=regime.answer_days + 31)
    holidays = set(
        ClosedDay.objects.filter(
            calendar=regime.calendar,
            kind=ClosedDay.Kind.PUBLIC_HOLIDAY,
            date__gt=received,
            date__lte=horizon,
        ).values_list("date", flat=True)
    )
    return add_days_with_rollover(
        received,
        days=regime.answer_days,
        closed=holidays,
        saturday_is_day_off=regime.saturday_is_day_off,
    )


@transaction.atomic
def register_complaint(
    case: Case,
    *,
    regime: ComplaintRegime,
    received_at: datetime,
    received_channel: str,
    subject_matter: str,
    description: str,
    demand: str,
    by: User | None,
    customer_type: str = Complaint.CustomerType.CONSUMER,
    sole_trader_as_consumer: bool = False,
    order_reference: str = "",
    noticed_on: date | None = None,
    demand_amount: Decimal | None = None,
    demand_details: str = "",
) -> Complaint:
    """Make the case a complaint; the moment of receipt starts the statutory clock."""
    if Complaint.objects.filter(case=case).exists():
        raise ComplaintError(_("This case is already a complaint."))
    if demand == Complaint.Demand.PRICE_REDUCTION and demand_amount is None:
        raise ComplaintError(_("A price reduction needs the amount the customer asks for."))
    change_kind(case, kind=Case.Kind.COMPLAINT, by=by)
    complaint = Complaint.objects.create(
        case=case,
        regime=regime,
        received_at=received_at,
        received_channel=received_channel,
        subject_matter=subject_matter,
        description=description,
        demand=demand,
        customer_type=customer_type,
        sole_trader_as_consumer=sole_trader_as_consumer,
        order_reference=order_reference,
        noticed_on=noticed_on,
        demand_amount=demand_amount,
        demand_details=demand_details,
        answer_due=answer_deadline(regime, received_at),
    )
    complaint_registered_event(case, by=by, answer_due=complaint.answer_due)
    if regime.acknowledge_receipt:
        acknowledge_receipt(complaint, by=by)
    return complaint


WRITTEN_CHANNELS = {Channel.EMAIL, Channel.WEB, Channel.PORTAL, Channel.API}


def acknowledge_receipt(complaint: Complaint, *, by: User | None) -> Complaint:
    """Acknowledge receipt in the form the complaint came in (Estonia): in writing by email
    for a written complaint; a complaint taken by phone or in person was acknowledged by the
    agent there and then. Without an email address a written one stays unacknowledged, which
    the complaint panel shows."""
    case = complaint.case
    if complaint.received_channel in WRITTEN_CHANNELS:
        if not case.customer.primary_email():
            return complaint
        with translation.override(case.customer.language):
            body = _(
                "Hello,\n\nwe have received your complaint about “%(subject)s” (case "
                "%(number)s) on %(received)s. We will answer you in writing by %(due)s.\n"
            ) % {
                "subject": complaint.subject_matter,
                "number": case.number,
                "received": date_format(
                    timezone.localtime(complaint.received_at).date(), "SHORT_DATE_FORMAT"
                ),
                "due": date_format(complaint.due, "SHORT_DATE_FORMAT"),
            }
        send_to_customer(case, by=by, body_text=body, meta={"auto": "complaint_acknowledgement"})
    complaint.acknowledged_at = timezone.now()
    complaint.save(update_fields=["acknowledged_at"])
    complaint_acknowledged_event(case, by=by, via=complaint.received_channel)
    return complaint


def record_understanding(complaint: Complaint, *, text: str, by: User) -> Complaint:
    """Write down, in two or three sentences, what happened and what the customer expects.
    A new paraphrase needs a new confirmation."""
    text = text.strip()
    if not text:
        raise ComplaintError(_("Write what happened and what the customer expects."))
    if complaint.state in {Complaint.State.DECIDED, Complaint.State.DELIVERED}:
        raise ComplaintError(_("The complaint is already decided."))
    complaint.understanding = text
    complaint.understanding_recorded_at = timezone.now()
    complaint.understanding_recorded_by = by
    complaint.understanding_confirmed_at = None
    complaint.understanding_confirmed_via = ""
    complaint.understanding_confirmed_by = None
    complaint.state = Complaint.State.CHECKING
    complaint.save()
    understanding_recorded_event(complaint.case, by=by)
    return complaint


def confirm_understanding(
    complaint: Complaint, *, via: str, by: User | None = None, when: datetime | None = None
) -> Complaint:
    """The customer confirmed the paraphrase: in the portal or by email themselves, or in
    person / by phone as marked by the member of staff `by`."""
    if not complaint.understanding:
        raise ComplaintError(_("There is no understanding to confirm yet."))
    staff_channels = {Complaint.ConfirmedVia.PHONE, Complaint.ConfirmedVia.IN_PERSON}
    if via in staff_channels and by is None:
        raise ComplaintError(_("Say who heard the customer confirm it."))
    complaint.understanding_confirmed_at = when or timezone.now()
    complaint.understanding_confirmed_via = via
    complaint.understanding_confirmed_by = by
    if complaint.state in {Complaint.State.RECEIVED, Complaint.State.CHECKING}:
        complaint.state = Complaint.State.UNDERSTOOD
    complaint.save()
    understanding_confirmed_event(complaint.case, by=by, via=via)
    return complaint


def correct_understanding(complaint: Complaint, *, correction: str, via: str) -> Complaint:
    """The customer said what we got wrong; the agent records a new paraphrase next."""
    complaint.customer_correction = correction.strip()
    complaint.understanding_confirmed_at = None
    complaint.understanding_confirmed_via = ""
    complaint.understanding_confirmed_by = None
    complaint.state = Complaint.State.CHECKING
    complaint.save()
    understanding_corrected_event(complaint.case, via=via)
    return complaint


def propose_solution(complaint: Complaint, *, text: str, by: User) -> Proposal:
    if complaint.state in {Complaint.State.DECIDED, Complaint.State.DELIVERED}:
        raise ComplaintError(_("The complaint is already decided."))
    proposal = Proposal.objects.create(
        complaint=complaint,
        text=text.strip(),
        understanding_was_confirmed=complaint.understanding_confirmed_at is not None,
        made_at=timezone.now(),
        made_by=by,
    )
    complaint.state = Complaint.State.PROPOSED
    complaint.save(update_fields=["state"])
    solution_proposed_event(
        complaint.case,
        by=by,
        understanding_was_confirmed=proposal.understanding_was_confirmed,
    )
    return proposal


def answer_proposal(
    proposal: Proposal, *, accepted: bool, when: datetime | None = None
) -> Proposal:
    proposal.outcome = Proposal.Outcome.ACCEPTED if accepted else Proposal.Outcome.DECLINED
    proposal.answered_at = when or timezone.now()
    proposal.save(update_fields=["outcome", "answered_at"])
    proposal_answered_event(proposal.complaint.case, outcome=proposal.outcome)
    return proposal


def decide_complaint(complaint: Complaint, *, decision: str, reasons: str, by: User) -> Complaint:
    """Record the decision; a rejection, whole or in part, must give its reasons."""
    reasons = reasons.strip()
    if decision != Complaint.Decision.ACCEPTED and not reasons:
        raise ComplaintError(_("A rejection must give its reasons."))
    if complaint.state == Complaint.State.DELIVERED:
        raise ComplaintError(_("The answer was already delivered."))
    complaint.decision = decision
    complaint.decision_reasons = reasons
    complaint.decided_at = timezone.now()
    complaint.decided_by = by
    complaint.state = Complaint.State.DECIDED
    complaint.save()
    complaint_decided_event(complaint.case, by=by, decision=decision)
    return complaint


def extend_deadline(complaint: Complaint, *, new_due: date, reason: str, by: User) -> Complaint:
    """Where the regime allows it, move the deadline with a written reason and a new date."""
    if not complaint.regime.extension_allowed:
        raise ComplaintError(_("This regime does not allow extending the deadline."))
    if not reason.strip():
        raise ComplaintError(_("An extension needs a written reason."))
    if new_due <= complaint.due:
        raise ComplaintError(_("The new date must be after the current deadline."))
    days = (new_due - complaint.due).days
    if not may_grant(by, AuthorityLimit.Kind.EXTENSION, Decimal(days)):
        raise ComplaintError(
            _("Extending by %(days)s days is above your authority; ask your lead.") % {"days": days}
        )
    complaint.extended_due = new_due
    complaint.extension_reason = reason.strip()
    complaint.save(update_fields=["extended_due", "extension_reason"])
    deadline_extended_event(complaint.case, by=by, new_due=new_due)
    return complaint


@transaction.atomic
def deliver_decision(complaint: Complaint, *, by: User) -> DecisionLetter:
    """Send the decision by email with the PDF letter in the customer's language and keep the
    letter with its hash. The complaint counts as answered when that email is sent; a
    decision shown only in the portal does not count."""
    if not complaint.decision:
        raise ComplaintError(_("Record the decision before sending it."))
    customer = complaint.case.customer
    recipient = customer.primary_email()
    if not recipient:
        raise ComplaintError(
            _("The customer has no email address; add one or send the letter by post.")
        )
    now = timezone.now()
    pdf = render_decision_letter(complaint, language=customer.language, when=now, signer=by)
    with translation.override(customer.language):
        filename = _("complaint-%(number)s.pdf") % {"number": complaint.case.number}
        body = _("Hello,\n\nplease find attached our answer to your complaint %(number)s.\n") % {
            "number": complaint.case.number
        }
    interaction = add_reply(
        complaint.case,
        by=by,
        body_text=body,
        attachments=[(filename, pdf, "application/pdf")],
    )
    attachment = interaction.attachments.get()
    letter = DecisionLetter.objects.create(
        complaint=complaint,
        language=customer.language,
        sha256=attachment.sha256,
        attachment=attachment,
        interaction=interaction,
        recipient=recipient,
    )
    complaint.state = Complaint.State.DELIVERED
    complaint.save(update_fields=["state"])
    decision_letter_sent_event(complaint.case, by=by, sha256=letter.sha256)
    return letter
