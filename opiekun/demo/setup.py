"""The desk's configuration in the demo: service levels, service points, a contact form,
macros, and live SLA clocks and complaints on the freshest cases, so every screen has
something to show."""

from datetime import datetime, timedelta

from django.utils import timezone

from opiekun.accounts.models import Team
from opiekun.cases.models import Case, Channel, Event, Macro, MacroTranslation
from opiekun.channels.visits.models import ServicePoint
from opiekun.channels.web.models import ContactForm
from opiekun.complaints.models import ComplaintRegime
from opiekun.complaints.services import record_understanding, register_complaint
from opiekun.demo.texts import topic_of
from opiekun.sla.models import BusinessCalendar, SlaPolicy, SlaTarget
from opiekun.sla.services import start_case_clocks

MACROS = [
    (
        "Greeting and case number",
        {
            # A name after "Dzień dobry" would need its vocative ("Pani Anno"), which a
            # template cannot make.
            "pl": "Dzień dobry,\n\ndziękujemy za wiadomość. Numer zgłoszenia: {{ case.number }}."
            "\n\nPozdrawiamy\n{{ agent.name }}",
            "et": "Tere, {{ customer.name }}!\n\nTäname sõnumi eest. Pöördumise number: "
            "{{ case.number }}.\n\nLugupidamisega\n{{ agent.name }}",
            "en": "Hello {{ customer.name }},\n\nthank you for your message. Your case number is "
            "{{ case.number }}.\n\nKind regards,\n{{ agent.name }}",
        },
        "",
    ),
    (
        "Ask for the order number",
        {
            "pl": "Dzień dobry,\n\nprosimy o podanie numeru zamówienia, abyśmy mogli sprawdzić "
            "sprawę.\n\n{{ agent.name }}",
            "et": "Tere!\n\nPalun saatke meile tellimuse number, et saaksime asja kontrollida."
            "\n\n{{ agent.name }}",
            "en": "Hello,\n\nplease send us your order number so that we can look into this."
            "\n\n{{ agent.name }}",
        },
        Case.Status.PENDING_CUSTOMER,
    ),
]


def ensure_setup(*, polish_team: Team, estonian_team: Team) -> None:
    """Create the demo's service levels, service points, contact forms and macros (once)."""
    polish = BusinessCalendar.objects.get(name="Polska (PL)")
    estonian = BusinessCalendar.objects.get(name="Eesti (EE)")
    written = ["email", "web", "portal"]
    policies = [
        ("Written channels: 24 business hours", 10, written, polish, 1440, 1440, 2400),
        ("Phone and visits: same day", 20, ["phone", "visit"], polish, 240, 480, 2400),
    ]
    for name, order, channels, calendar, first, following, resolution in policies:
        SlaPolicy.objects.get_or_create(
            name=name,
            defaults={
                "order": order,
                "channels": channels,
                "calendar": calendar,
                "first_response_minutes": first,
                "next_response_minutes": following,
                "resolution_minutes": resolution,
            },
        )
    places = [
        (polish_team, polish, "warszawa", "Salon Warszawa", "ul. Marszałkowska 1, Warszawa",
         "kontakt", "Napisz do nas"),
        (estonian_team, estonian, "tallinn", "Tallinna esindus", "Viru 1, Tallinn",
         "kontakt-ee", "Võtke meiega ühendust"),
    ]  # fmt: skip
    for team, calendar, slug, name, address, form_slug, title in places:
        ServicePoint.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "team": team, "calendar": calendar, "address": address},
        )
        ContactForm.objects.get_or_create(
            slug=form_slug,
            defaults={
                "title": title,
                "team": team,
                "fields": ["phone", "order", "kind", "attachments"],
            },
        )
    for name, texts, then_status in MACROS:
        macro, created = Macro.objects.get_or_create(
            name=name, team=None, defaults={"set_status": then_status}
        )
        if created:
            MacroTranslation.objects.bulk_create(
                MacroTranslation(macro=macro, language=language, body=body)
                for language, body in texts.items()
            )


def regime_for(
    case: Case, *, regimes: dict[str, ComplaintRegime], estonian_team: Team
) -> ComplaintRegime | None:
    """Estonian law for Estonian customers and for the Estonian team's cases; Polish law for
    the rest."""
    if case.customer.language == "et" or case.team_id == estonian_team.pk:
        return regimes.get("ee-consumer")
    return regimes.get("pl-consumer")


def bring_recent_cases_to_life(
    *, estonian_team: Team, now: datetime | None = None, days: int = 10
) -> int:
    """Start SLA clocks on the last days' open cases (seeding writes rows directly, without
    the services) and register their complaints; returns how many cases were touched."""
    now = now or timezone.now()
    recent = Case.objects.filter(
        status__in=Case.OPEN_STATUSES, created_at__gte=now - timedelta(days=days)
    ).select_related("customer")
    regimes = {regime.code: regime for regime in ComplaintRegime.objects.all()}
    touched = 0
    for case in recent.exclude(pk__in=SlaTarget.objects.values("case_id")):
        last_activity = case.updated_at
        start_case_clocks(case)
        regime = regime_for(case, regimes=regimes, estonian_team=estonian_team)
        topic = topic_of(case.language, case.subject)
        if regime is not None and case.kind == Case.Kind.COMPLAINT and topic is not None:
            complaint = register_complaint(
                case, regime=regime, received_at=case.created_at, received_channel=case.channel
                if case.channel in Channel.values else Channel.EMAIL,
                subject_matter=case.subject[:300], description=topic["understanding"],
                demand=topic["demand"], by=case.assignee,
            )  # fmt: skip
            if case.assignee is not None:
                record_understanding(complaint, by=case.assignee, text=topic["understanding"])
            # The services stamp "now"; in the demo the complaint was taken in when the case
            # opened, and the case's last activity stays where the seed put it.
            taken_in = min(case.created_at + timedelta(minutes=5), last_activity)
            Event.objects.filter(case=case, kind=Event.Kind.COMPLAINT).update(created_at=taken_in)
            Case.objects.filter(pk=case.pk).update(updated_at=last_activity)
        touched += 1
    return touched
