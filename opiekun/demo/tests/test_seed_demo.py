import io
import zoneinfo
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, CaseNumber, Channel, Event, Interaction, Macro
from opiekun.cases.services import (
    add_interaction,
    add_reply,
    assign_case,
    change_status,
    next_case_number,
    open_case,
    set_tags,
)
from opiekun.cases.tests.factories import CaseFactory
from opiekun.channels.visits.models import ServicePoint
from opiekun.channels.web.models import ContactForm
from opiekun.complaints.models import Complaint, ComplaintRegime
from opiekun.complaints.services import record_understanding, register_complaint
from opiekun.customers.models import Customer, Identity
from opiekun.customers.services import (
    find_or_create_customer,
    normalise_email,
    normalise_phone,
)
from opiekun.customers.tests.factories import CustomerFactory
from opiekun.demo.progress import Progress
from opiekun.demo.seed import ascii_fold, sqlite_datetime
from opiekun.sla.models import SlaPolicy


def seed(cases: int, *, seed: int = 7) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("seed_demo", cases=cases, seed=seed, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_seed_demo_adds_cases_customers_and_staff_of_every_role() -> None:
    out, err = seed(300)

    assert Case.objects.count() == 300
    assert Customer.objects.count() == 100
    assert set(Team.objects.values_list("name", flat=True)) == {
        "Obsługa klienta PL",
        "Klienditeenindus EE",
        "Complaints / Reklamacje",
    }
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    assert set(Case.objects.values_list("channel", flat=True)) == {
        Channel.EMAIL,
        Channel.PHONE,
        Channel.VISIT,
        Channel.WEB,
        Channel.PORTAL,
    }
    assert set(Case.objects.values_list("kind", flat=True)) == set(Case.Kind.values)
    assert set(Case.objects.values_list("language", flat=True)) == {"pl", "et", "en"}
    assert "Added 300 cases, 100 customers" in out
    assert "ann       demo-ann-2026    Agent          Obsługa klienta PL" in out
    assert "cases: 300 cases in" in err


@pytest.mark.django_db
def test_demo_staff_can_log_in_with_the_printed_passwords() -> None:
    seed(10)

    assert User.objects.get(username="ann").check_password("demo-ann-2026")
    assert User.objects.get(username="adam").check_password("demo-adam-2026")
    assert User.objects.get(username="adam").is_superuser
    assert User.objects.get(username="ewa").check_password("demo-team-2026")
    assert User.objects.get(username="jaan").check_password("demo-team-2026")


@pytest.mark.django_db
def test_if_empty_adds_nothing_when_a_case_exists() -> None:
    CaseFactory.create()
    out = io.StringIO()

    call_command("seed_demo", cases=50, if_empty=True, stdout=out, stderr=io.StringIO())

    assert Case.objects.count() == 1
    assert User.objects.filter(username="ann").exists() is False
    assert out.getvalue() == "The database already holds cases; no demo data added.\n"


@pytest.mark.django_db
def test_if_empty_seeds_an_empty_database() -> None:
    call_command("seed_demo", cases=20, if_empty=True, stdout=io.StringIO(), stderr=io.StringIO())

    assert Case.objects.count() == 20


@pytest.mark.django_db
def test_case_numbers_continue_the_sequence_in_creation_order_per_year() -> None:
    earlier = next_case_number()
    seed(200)

    numbers_by_year: dict[int, list[int]] = defaultdict(list)
    for number, created in Case.objects.order_by("created_at", "id").values_list(
        "number", "created_at"
    ):
        year_text, serial = number.split("-")
        assert int(year_text) == timezone.localtime(created).year
        numbers_by_year[int(year_text)].append(int(serial))
    this_year = int(earlier.split("-")[0])
    for year, serials in numbers_by_year.items():
        first = int(earlier.split("-")[1]) + 1 if year == this_year else 1
        assert serials == list(range(first, first + len(serials)))
        assert CaseNumber.objects.get(year=year).last == serials[-1]
    assert next_case_number() == f"{this_year}-{numbers_by_year[this_year][-1] + 1:06d}"


@pytest.mark.django_db
def test_every_case_has_one_created_event_and_its_status_history_ends_in_its_status() -> None:
    seed(300)

    events: dict[int, list[Event]] = defaultdict(list)
    for event in Event.objects.order_by("created_at", "id"):
        events[event.case_id].append(event)
    for case in Case.objects.all():
        history = events[case.pk]
        assert [event.kind for event in history].count(Event.Kind.CREATED) == 1
        assert history[0].kind == Event.Kind.CREATED
        status = Case.Status.NEW
        for event in history:
            if event.kind == Event.Kind.ASSIGNED:
                assert event.payload["after_id"] == case.assignee_id
                status = Case.Status.OPEN  # assign_case opens a new case
            elif event.kind == Event.Kind.STATUS:
                assert event.payload["before"] == status
                status = event.payload["after"]
        assert status == case.status
        assert (case.resolved_at is not None) == (
            case.status in {Case.Status.RESOLVED, Case.Status.CLOSED}
        )
        assert (case.closed_at is not None) == (case.status == Case.Status.CLOSED)


@pytest.mark.django_db
def test_first_response_is_the_first_outbound_interaction_and_times_are_in_the_past() -> None:
    before_seeding = timezone.now()
    seed(300)

    first_outbound: dict[int, datetime] = {}
    last_activity: dict[int, datetime] = {}
    for case_id, direction, started in Interaction.objects.order_by("started_at", "id").values_list(
        "case_id", "direction", "started_at"
    ):
        if direction == Interaction.Direction.OUTBOUND:
            first_outbound.setdefault(case_id, started)
        last_activity[case_id] = started
    for case_id, moment in Event.objects.values_list("case_id", "created_at"):
        last_activity[case_id] = max(last_activity[case_id], moment)
    cases = list(Case.objects.all())
    for case in cases:
        assert case.first_response_at == first_outbound.get(case.pk)
        assert case.updated_at == last_activity[case.pk]
        assert case.created_at <= case.updated_at <= before_seeding
    assert len(first_outbound) > 0


@pytest.mark.django_db
def test_every_case_starts_with_the_customers_inbound_contact() -> None:
    seed(100)

    for case in Case.objects.prefetch_related("interactions"):
        first = case.interactions.all()[0]
        assert (first.direction, first.channel, first.started_at) == (
            Interaction.Direction.INBOUND,
            case.channel,
            case.created_at,
        )
        assert first.customer_id == case.customer_id


def test_seeded_events_have_the_payloads_the_services_record(team_a: Team, agent_ann: User) -> None:
    customer = CustomerFactory.create()
    case = open_case(customer=customer, team=team_a, subject="Pytanie", channel=Channel.EMAIL)
    assign_case(case, to=agent_ann, by=None)
    set_tags(case, names=["vip"], by=agent_ann)
    add_reply(case, by=agent_ann, body_text="Dzień dobry")
    add_interaction(case, channel=Channel.EMAIL, direction=Interaction.Direction.INBOUND)
    change_status(case, status=Case.Status.RESOLVED, by=agent_ann)
    complaint_case = open_case(
        customer=customer, team=team_a, subject="Reklamacja", channel=Channel.EMAIL
    )
    complaint = register_complaint(
        complaint_case, regime=ComplaintRegime.objects.get(code="pl-consumer"),
        received_at=complaint_case.created_at, received_channel=Channel.EMAIL,
        subject_matter="Pralka", description="Pralka", demand=Complaint.Demand.REPAIR,
        by=agent_ann,
    )  # fmt: skip
    record_understanding(complaint, by=agent_ann, text="Pralka; klient chce naprawy.")
    plain = {(e.kind, tuple(sorted(e.payload))) for e in Event.objects.filter(case=case)}
    registering = {(e.kind, tuple(sorted(e.payload))) for e in complaint_case.events.all()}
    service_shapes = plain | registering

    seed(200)

    seeded = Event.objects.exclude(case__in=[case, complaint_case])
    seeded_shapes = {(e.kind, tuple(sorted(e.payload))) for e in seeded}
    assert seeded_shapes <= service_shapes
    # Complaints are registered only on the last days' open complaint cases, which a seed of
    # 200 has or not depending on today's date; every other kind is always there.
    assert service_shapes - seeded_shapes <= registering - plain


@pytest.mark.django_db
def test_customers_have_normalised_emails_and_e164_phones_in_their_country() -> None:
    seed(60)

    for customer in Customer.objects.prefetch_related("identities"):
        kinds = [identity.kind for identity in customer.identities.all()]
        assert kinds.count(Identity.Kind.EMAIL) == 1
        for identity in customer.identities.all():
            if identity.kind == Identity.Kind.EMAIL:
                assert normalise_email(identity.value) == identity.value
            else:
                assert normalise_phone(identity.value) == identity.value
                prefix = {"pl": "+48", "et": "+372", "en": "+44"}[customer.language]
                assert identity.value.startswith(prefix)
        assert customer.facts.filter(kind="order").count() == 1
    assert set(Identity.objects.values_list("proof", flat=True)) == {Identity.Proof.IMPORTED}


@pytest.mark.django_db
def test_messages_are_written_in_the_case_language() -> None:
    seed(150)

    replies = Interaction.objects.filter(direction=Interaction.Direction.OUTBOUND)
    polish = " ".join(replies.filter(case__language="pl").values_list("body_text", flat=True))
    estonian = " ".join(replies.filter(case__language="et").values_list("body_text", flat=True))
    assert "Dzień dobry" in polish
    assert "Tere" in estonian
    assert "Tere" not in polish


def test_ascii_fold_makes_email_local_parts_from_names() -> None:
    assert ascii_fold("Wiśniewska") == "wisniewska"
    assert ascii_fold("Łucja") == "lucja"
    assert ascii_fold("Õunapuu") == "ounapuu"
    assert ascii_fold("Kütt") == "kutt"


def test_progress_prints_percent_rate_and_eta_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    progress = Progress(stream, label="cases", total=4, unit="cases", every=3600)

    progress.advance(2)
    progress.advance(2)
    progress.finish()

    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("cases [########################] 100% 4/4 cases  ")
    assert "ETA 0:00:00" in lines[0]
    assert lines[1].startswith("cases: 4 cases in 0:00:00 (")


@pytest.mark.django_db
def test_seeding_twice_adds_more_and_services_keep_working_after_it() -> None:
    seed(30, seed=1)
    seed(30, seed=2)
    team = Team.objects.get(name="Obsługa klienta PL")
    customer = find_or_create_customer(email="nowa.klientka@example.pl", name="Nowa Klientka")

    case = open_case(customer=customer, team=team, subject="Pytanie", channel=Channel.EMAIL)

    assert Case.objects.count() == 61
    assert Customer.objects.count() == 21
    assert case.pk == Case.objects.exclude(pk=case.pk).order_by("-pk")[0].pk + 1
    assert User.objects.count() == 15
    assert Case.objects.values("number").distinct().count() == 61


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's datetime text")
def test_sqlite_datetime_writes_what_the_sqlite_backend_writes() -> None:
    warsaw = zoneinfo.ZoneInfo("Europe/Warsaw")
    moments = [
        datetime(2026, 3, 29, 1, 59, 59, 999999, tzinfo=warsaw),
        datetime(2026, 10, 25, 2, 30, tzinfo=warsaw),
        datetime(2026, 11, 23, 9, 0, tzinfo=UTC),
    ]

    for moment in moments:
        assert sqlite_datetime(moment) == connection.ops.adapt_datetimefield_value(moment)
    assert sqlite_datetime(None) is None


@pytest.mark.django_db
def test_the_demo_desk_is_set_up_and_recent_cases_run_on_the_clock() -> None:
    seed(300)

    recent_open = Case.objects.filter(
        status__in=Case.OPEN_STATUSES, created_at__gte=timezone.now() - timedelta(days=10)
    )
    assert list(SlaPolicy.objects.order_by("order").values_list("name", flat=True)) == [
        "Written channels: 24 business hours",
        "Phone and visits: same day",
    ]
    assert set(ServicePoint.objects.values_list("slug", flat=True)) == {"warszawa", "tallinn"}
    assert set(ContactForm.objects.values_list("slug", flat=True)) == {"kontakt", "kontakt-ee"}
    assert Macro.objects.count() == 2
    assert recent_open.exists()
    with_clocks = recent_open.filter(sla_targets__isnull=False).distinct()
    assert with_clocks.count() == recent_open.count()
    assert set(Complaint.objects.values_list("case_id", flat=True)) == set(
        recent_open.filter(kind=Case.Kind.COMPLAINT).values_list("pk", flat=True)
    )
