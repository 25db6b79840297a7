"""Realistic demo data at any size: teams, staff of every role, customers and their cases.

Rows are written with `bulk_create` in batches, one transaction per batch, so a million cases
fit on SQLite in minutes. The rows are exactly what the services in `opiekun.cases.services`
would leave behind (tests check it): one CREATED event per case, an ASSIGNED event when a case
gets an agent (which opens it), a STATUS event for every other status change, a TAGGED event
for tags, `first_response_at` at the first outbound reply, and case numbers taken from the
`CaseNumber` sequence, in creation order within each year.

Cases are given their ids before they are written, so run it while nothing else adds cases
(`make run` seeds before it serves).
"""

import random
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import DateTimeField, Model, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, CaseNumber, Channel, Event, Interaction, Tag
from opiekun.customers.models import Customer, Identity, KnownFact, Organisation
from opiekun.demo.progress import Progress, Stream
from opiekun.demo.setup import bring_recent_cases_to_life, ensure_setup
from opiekun.demo.texts import FOLLOWUPS, REPLIES, TAGS, TEXTS, TOPICS

TEAM_PL = "Obsługa klienta PL"
TEAM_EE = "Klienditeenindus EE"
TEAM_COMPLAINTS = "Complaints / Reklamacje"
TEAMS = [
    (TEAM_PL, "obsluga@opiekun.example", "Zespół Obsługi Klienta\nOpiekun"),
    (TEAM_EE, "teenindus@opiekun.example", "Klienditeenindus\nOpiekun"),
    (TEAM_COMPLAINTS, "reklamacje@opiekun.example", "Dział Reklamacji / Complaints\nOpiekun"),
]
SHARED_PASSWORD = "demo-team-2026"  # noqa: S105 (printed for the demo desk, never production)


@dataclass(frozen=True)
class StaffMember:
    username: str
    first_name: str
    last_name: str
    role: str
    language: str
    teams: tuple[str, ...]
    password: str = ""  # empty: the shared demo password


STAFF = [
    StaffMember("ann", "Anna", "Kowalska", User.Role.AGENT, "pl", (TEAM_PL,), "demo-ann-2026"),
    StaffMember("kadri", "Kadri", "Kask", User.Role.AGENT, "et", (TEAM_EE,), "demo-kadri-2026"),
    StaffMember(
        "lee", "Lee", "Mets", User.Role.LEAD, "et", (TEAM_EE, TEAM_COMPLAINTS), "demo-lee-2026"
    ),
    StaffMember("maja", "Maja", "Nowak", User.Role.MANAGER, "pl", (), "demo-maja-2026"),
    StaffMember("adam", "Adam", "Wiśniewski", User.Role.ADMIN, "en", (), "demo-adam-2026"),
    StaffMember("ewa", "Ewa", "Mazur", User.Role.LEAD, "pl", (TEAM_PL,)),
    StaffMember("piotr", "Piotr", "Zieliński", User.Role.AGENT, "pl", (TEAM_PL, TEAM_COMPLAINTS)),
    StaffMember("tomasz", "Tomasz", "Dąbrowski", User.Role.AGENT, "pl", (TEAM_PL,)),
    StaffMember("zofia", "Zofia", "Wójcik", User.Role.AGENT, "pl", (TEAM_COMPLAINTS,)),
    StaffMember("grazyna", "Grażyna", "Sęk", User.Role.LEAD, "pl", (TEAM_COMPLAINTS,)),
    StaffMember("jaan", "Jaan", "Tamm", User.Role.AGENT, "et", (TEAM_EE,)),
    StaffMember("liis", "Liis", "Saar", User.Role.AGENT, "et", (TEAM_EE,)),
    StaffMember("mart", "Märt", "Kõiv", User.Role.AGENT, "et", (TEAM_EE, TEAM_COMPLAINTS)),
    StaffMember("olivia", "Olivia", "Brown", User.Role.AGENT, "en", (TEAM_PL, TEAM_EE)),
    StaffMember("jolanta", "Jolanta", "Piątek", User.Role.MANAGER, "pl", ()),
]

CHANNELS = [Channel.EMAIL, Channel.PHONE, Channel.WEB, Channel.PORTAL, Channel.VISIT]
CHANNEL_WEIGHTS = [45, 25, 12, 10, 8]
KINDS = list(Case.Kind)
KIND_WEIGHTS = [40, 25, 12, 15, 8]
PRIORITIES = list(Case.Priority)
PRIORITY_WEIGHTS = [15, 60, 20, 5]
LANGUAGES = ["pl", "et", "en"]
LANGUAGE_WEIGHTS = [60, 30, 10]
# Contacts by local hour, 8:00-17:59: a morning peak and a smaller one after lunch.
HOURS = list(range(8, 18))
HOUR_WEIGHTS = [5, 12, 14, 13, 9, 11, 12, 11, 8, 5]
PHONE_PREFIX = {"pl": "+485", "et": "+3725", "en": "+447"}
PHONE_DIGITS = {"pl": 8, "et": 7, "en": 9}
SPOKEN = {Channel.PHONE, Channel.VISIT}
BATCH = 2000
HOUR = 3600.0
DAY = 86400.0


@dataclass
class SeedResult:
    cases: int = 0
    customers: int = 0
    interactions: int = 0
    events: int = 0
    seconds: float = 0.0
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Agent:
    pk: int
    display: str
    first_name: str


@dataclass(frozen=True)
class Profile:
    """What a case needs to know about its customer."""

    pk: int
    language: str
    first_name: str
    order: str
    product: str
    address: str


def ascii_fold(text: str) -> str:
    """ "Wiśniewska" -> "wisniewska", "Kõiv" -> "koiv": for demo email addresses."""
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def sqlite_datetime(value: datetime | None) -> str | None:
    """The text Django's SQLite backend stores for an aware datetime (UTC, no offset)."""
    return None if value is None else str(value.astimezone(UTC).replace(tzinfo=None))


def datetime_adapter() -> Callable[[Any], Any]:
    """How this database takes an aware datetime: on SQLite in UTC, the backend's adapter
    (which looks up settings on every value) is replaced by `sqlite_datetime`."""
    if connection.vendor == "sqlite" and connection.timezone_name == "UTC":
        return sqlite_datetime
    return connection.ops.adapt_datetimefield_value


def insert_rows(model: type[Model], rows: list[dict[str, Any]], *, with_pk: bool = False) -> None:
    """INSERT plain rows (attribute name -> value) with one prepared statement.

    Like `bulk_create` without building a model instance per row, which is most of its cost;
    missing columns take the field's default, and values go through the field's own
    conversion for this database (dates, JSON), so the stored rows are the same.
    """
    if not rows:
        return
    # The database computes generated columns itself and refuses a value for them.
    fields = [
        one
        for one in model._meta.concrete_fields
        if (with_pk or not one.primary_key) and not one.generated
    ]
    columns = [(one.attname, one.get_default()) for one in fields]
    conversions: list[tuple[int, Callable[[Any], Any]]] = []
    for index, one in enumerate(fields):
        if one.get_internal_type() == "DateTimeField":
            # The rows hold aware datetimes already, so the field's checks and parsing can be
            # skipped.
            conversions.append((index, datetime_adapter()))
        elif one.get_internal_type() == "JSONField":
            conversions.append((index, partial(one.get_db_prep_save, connection=connection)))
    values = []
    for row in rows:
        record = [row.get(name, default) for name, default in columns]
        for index, convert in conversions:
            record[index] = convert(record[index])
        values.append(record)
    quote = connection.ops.quote_name
    # Table and column names come from the model and are quoted; values are parameters.
    table = quote(model._meta.db_table)
    names_sql = ", ".join(quote(str(one.column)) for one in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {table} ({names_sql}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)


def reset_sequences(*models: type[Model]) -> None:
    """Move the id sequences past rows written with explicit ids (PostgreSQL; SQLite keeps
    track by itself)."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


def ensure_staff() -> tuple[dict[str, Team], list[tuple[str, str, str, str]]]:
    """Create the demo teams and staff (once); return the teams and the printable logins."""
    teams = {}
    for name, email, signature in TEAMS:
        teams[name], _created = Team.objects.get_or_create(
            name=name,
            defaults={"email": email, "signature": signature, "routing": Team.Routing.LOAD},
        )
    # Hashing with argon2 is slow on purpose; staff without their own password share one hash.
    shared_hash = make_password(SHARED_PASSWORD)
    logins = []
    for member in STAFF:
        user, created = User.objects.get_or_create(
            username=member.username,
            defaults={
                "first_name": member.first_name,
                "last_name": member.last_name,
                "email": f"{member.username}@opiekun.example",
                "role": member.role,
                "language": member.language,
                "availability": User.Availability.ONLINE,
                "skill_languages": sorted({member.language, "en"}),
                "is_staff": member.role == User.Role.ADMIN,
                "is_superuser": member.role == User.Role.ADMIN,
            },
        )
        if created:
            if member.password:
                user.set_password(member.password)
            else:
                user.password = shared_hash
            user.save(update_fields=["password"])
        for team_name in member.teams:
            teams[team_name].members.add(user)
        logins.append(
            (
                member.username,
                member.password or SHARED_PASSWORD,
                str(User.Role(member.role).label),
                ", ".join(member.teams) or "(all teams)",
            )
        )
    return teams, logins


def team_agents(teams: dict[str, Team]) -> dict[int, list[Agent]]:
    agents: dict[int, list[Agent]] = {}
    for team in teams.values():
        members = team.members.filter(role__in=[User.Role.AGENT, User.Role.LEAD]).order_by("pk")
        agents[team.pk] = [Agent(u.pk, str(u), u.first_name) for u in members]
    return agents


def business_times(rng: random.Random, count: int, *, now: datetime, days: int) -> list[float]:
    """`count` sorted epoch seconds over the last `days` days, shaped like office hours."""
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now, zone).date()
    midnights = []
    weights = []
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        midnight = datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()
        midnights.append(midnight)
        # Saturdays are quiet, Sundays quieter; recent months are a little busier.
        weekday_weight = [1.0, 1.0, 0.95, 0.95, 0.9, 0.25, 0.1][day.weekday()]
        weights.append(weekday_weight * (0.8 + 0.4 * (days - back) / days))
    limit = now.timestamp()
    picked_days = rng.choices(midnights, weights=weights, k=count)
    picked_hours = rng.choices(HOURS, weights=HOUR_WEIGHTS, k=count)
    times = []
    for midnight, hour in zip(picked_days, picked_hours, strict=True):
        moment = midnight + hour * HOUR + rng.random() * HOUR
        if moment >= limit:  # today, later than now: move it into the past hours of today
            moment = limit - rng.random() * min(HOUR * 6, max(limit - midnights[-1], 60.0))
        times.append(moment)
    times.sort()
    return times


def reserve_numbers(times: list[float]) -> list[str]:
    """Take one case number per creation time from the per-year sequences, in time order."""
    zone = timezone.get_current_timezone()
    years = [datetime.fromtimestamp(moment, zone).year for moment in times]
    counts: dict[int, int] = {}
    for year in years:
        counts[year] = counts.get(year, 0) + 1
    starts = {}
    with transaction.atomic():
        for year, count in sorted(counts.items()):
            CaseNumber.objects.get_or_create(year=year)
            sequence = CaseNumber.objects.select_for_update().get(year=year)
            starts[year] = sequence.last
            sequence.last += count
            sequence.save(update_fields=["last"])
    numbers = []
    for year in years:
        starts[year] += 1
        numbers.append(f"{year}-{starts[year]:06d}")
    return numbers


def create_organisations(rng: random.Random) -> dict[str, list[int]]:
    by_language: dict[str, list[int]] = {}
    for language in LANGUAGES:
        rows = [
            Organisation(name=name, registry_code=f"{rng.randrange(10**9, 10**10)}")
            for name in TEXTS[language]["organisations"]
        ]
        by_language[language] = [org.pk for org in Organisation.objects.bulk_create(rows)]
    return by_language


def create_customers(
    rng: random.Random, *, count: int, now: datetime, progress: Progress | None
) -> list[Profile]:
    organisations = create_organisations(rng)
    # Customers get their ids here (see create_cases), so identities need no read-back.
    offset = (Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    year = timezone.localtime(now).year
    profiles: list[Profile] = []
    for start in range(0, count, BATCH):
        batch = []
        people = []
        for index in range(offset + start, offset + min(start + BATCH, count)):
            language = rng.choices(LANGUAGES, weights=LANGUAGE_WEIGHTS)[0]
            texts = TEXTS[language]
            if rng.random() < 0.55:
                first, last = rng.choice(texts["female_first"]), rng.choice(texts["female_last"])
            else:
                first, last = rng.choice(texts["male_first"]), rng.choice(texts["male_last"])
            organisation = rng.choice(organisations[language]) if rng.random() < 0.12 else None
            batch.append(
                {
                    "id": index,
                    "name": f"{first} {last}",
                    "language": language,
                    "organisation_id": organisation,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            people.append((index, language, first, last))
        with transaction.atomic():
            insert_rows(Customer, batch, with_pk=True)
            identities: list[dict[str, Any]] = []
            facts: list[dict[str, Any]] = []
            for index, language, first, last in people:
                texts = TEXTS[language]
                domain = rng.choice(texts["email_domains"])
                email = f"{ascii_fold(first)}.{ascii_fold(last)}.{index}@{domain}"
                known = {"customer_id": index, "created_at": now}
                imported = known | {"proof": Identity.Proof.IMPORTED, "proven_at": now}
                identities.append(
                    imported | {"kind": Identity.Kind.EMAIL, "value": email, "is_primary": True}
                )
                if rng.random() < 0.7:
                    digits = PHONE_DIGITS[language]
                    phone = f"{PHONE_PREFIX[language]}{index % 10**digits:0{digits}d}"
                    identities.append(imported | {"kind": Identity.Kind.PHONE, "value": phone})
                order = texts["order_format"].format(year=year, serial=index)
                product = rng.choice(texts["products"])
                address = rng.choice(texts["addresses"])
                fact = known | {"source": "demo"}
                facts.append(fact | {"kind": KnownFact.Kind.ORDER, "value": order})
                if rng.random() < 0.6:
                    facts.append(fact | {"kind": KnownFact.Kind.ADDRESS, "value": address})
                if rng.random() < 0.5:
                    facts.append(fact | {"kind": KnownFact.Kind.PRODUCT, "value": product})
                profiles.append(Profile(index, language, first, order, product, address))
            insert_rows(Identity, identities)
            insert_rows(KnownFact, facts)
        if progress is not None:
            progress.advance(len(batch))
    reset_sequences(Customer)
    return profiles


@dataclass
class CaseStory:
    """One case's rows before they are written, told in epoch seconds."""

    case: dict[str, Any]
    interactions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)


def at(moment: float) -> datetime:
    return datetime.fromtimestamp(moment, UTC)


class CaseWriter:
    def __init__(
        self,
        rng: random.Random,
        *,
        now: datetime,
        teams: dict[str, Team],
        agents: dict[int, list[Agent]],
        tags: dict[str, int],
    ) -> None:
        self.rng = rng
        self.now = now.timestamp()
        self.teams = teams
        self.agents = agents
        self.tags = tags
        self.tag_names = sorted(tags)

    def pick_team(self, language: str, kind: str) -> Team:
        if kind == Case.Kind.COMPLAINT and self.rng.random() < 0.7:
            return self.teams[TEAM_COMPLAINTS]
        if language == "pl":
            return self.teams[TEAM_PL]
        if language == "et":
            return self.teams[TEAM_EE]
        return self.teams[self.rng.choice([TEAM_PL, TEAM_EE])]

    def response_delay(self) -> float:
        """Minutes to a day and a bit; most answers within a few working hours."""
        return min(self.rng.lognormvariate(9.0, 1.1), 1.6 * DAY) + 300

    def story(self, number: str, created: float, profile: Profile) -> CaseStory:
        rng = self.rng
        texts = TEXTS[profile.language]
        kind = rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
        priority = rng.choices(PRIORITIES, weights=PRIORITY_WEIGHTS)[0]
        if kind == Case.Kind.COMPLAINT and priority == Case.Priority.LOW:
            priority = Case.Priority.HIGH
        team = self.pick_team(profile.language, kind)
        agent = rng.choice(self.agents[team.pk])
        topic = rng.choice(TOPICS[profile.language][kind])
        subject = topic["subject"]
        context = {
            "name": profile.first_name,
            "agent": agent.first_name,
            "order": profile.order,
            "product": profile.product,
            "address": profile.address,
            "number": number,
        }
        case: dict[str, Any] = {
            "number": number,
            "subject": subject,
            "kind": kind,
            "channel": channel,
            "priority": priority,
            "language": profile.language,
            "team_id": team.pk,
            "customer_id": profile.pk,
            "created_at": at(created),
        }
        story = CaseStory(case)
        status: str = Case.Status.NEW
        last = created
        spoken = channel in SPOKEN

        def event(moment: float, kind: str, actor: int | None, **payload: Any) -> None:
            story.events.append(
                {"kind": kind, "actor_id": actor, "payload": payload, "created_at": at(moment)}
            )

        def interaction(
            moment: float, direction: str, channel: str, body: str, **extra: Any
        ) -> None:
            nonlocal last
            story.interactions.append(
                {
                    "channel": channel,
                    "direction": direction,
                    "body_text": body.format(**context),
                    "started_at": at(moment),
                    "created_at": at(moment),
                    **extra,
                }
            )
            last = max(last, moment)

        def set_status(moment: float, after: str, actor: int | None) -> None:
            nonlocal status, last
            event(moment, Event.Kind.STATUS, actor, before=str(status), after=str(after))
            status = after
            last = max(last, moment)

        event(created, Event.Kind.CREATED, agent.pk if spoken else None, channel=str(channel))
        if spoken:
            handle = rng.randrange(90, 900)
            interaction(
                created,
                Interaction.Direction.INBOUND,
                channel,
                topic["call"],
                subject=subject,
                author_id=agent.pk,
                customer_id=profile.pk,
                ended_at=at(created + handle),
                handle_seconds=handle,
            )
        else:
            interaction(
                created,
                Interaction.Direction.INBOUND,
                channel,
                topic["message"],
                subject=subject,
                customer_id=profile.pk,
            )

        # The last few days leave a backlog: some cases not yet triaged, some not answered.
        backlog = self.now - created < 3 * DAY and rng.random() < 0.4
        if backlog and not spoken and rng.random() < 0.5:
            return self.finish(story, status, last)
        # Assignment: at once for a call or visit (the agent took it), else after triage.
        assigned = created + (1 if spoken else rng.uniform(120, 5400))
        if assigned >= self.now:
            return self.finish(story, status, last)
        event(
            assigned,
            Event.Kind.ASSIGNED,
            agent.pk if spoken else None,
            before="",
            after=agent.display,
            after_id=agent.pk,
        )
        case["assignee_id"] = agent.pk
        status = Case.Status.OPEN
        last = max(last, assigned)
        if rng.random() < 0.4:
            names = sorted(rng.sample(self.tag_names, rng.choice([1, 1, 2])))
            tagged = assigned + rng.uniform(10, 600)
            if tagged < self.now:
                event(tagged, Event.Kind.TAGGED, agent.pk, added=names, removed=[])
                story.tags = [self.tags[name] for name in names]
                last = max(last, tagged)

        reply_channel = {
            Channel.PORTAL: Channel.PORTAL,
            Channel.PHONE: rng.choice([Channel.PHONE, Channel.EMAIL]),
        }.get(channel, Channel.EMAIL)
        rounds = rng.choice([1, 1, 2, 3]) + (1 if kind == Case.Kind.COMPLAINT else 0)
        moment = assigned
        replied = False
        for round_number in range(0 if backlog else rounds):
            moment += self.response_delay()
            if moment >= self.now:
                break
            if rng.random() < 0.25:
                note = moment - rng.uniform(60, 1200)
                interaction(
                    max(note, assigned + 1),
                    Interaction.Direction.INTERNAL,
                    Channel.INTERNAL,
                    rng.choice(texts["notes"]),
                    author_id=agent.pk,
                )
            if round_number == rounds - 1:
                body = topic["closing"]
            elif round_number == 0:
                body = topic["reply"]
            else:
                body = rng.choice(REPLIES[profile.language])
            extra: dict[str, Any] = {"author_id": agent.pk, "subject": f"Re: {subject}"}
            if reply_channel == Channel.PHONE:
                handle = rng.randrange(60, 600)
                extra |= {"ended_at": at(moment + handle), "handle_seconds": handle}
            else:
                extra |= {
                    "delivery_status": Interaction.DeliveryStatus.SENT,
                    "sent_at": at(moment + 2),
                }
            interaction(
                moment,
                Interaction.Direction.OUTBOUND,
                reply_channel,
                body,
                **extra,
            )
            if not replied:
                case["first_response_at"] = at(moment)
                replied = True
            if status in (Case.Status.NEW, Case.Status.OPEN):
                set_status(moment, Case.Status.PENDING_CUSTOMER, agent.pk)
            if round_number == rounds - 1:
                break
            moment += rng.uniform(0.5 * HOUR, 3 * DAY)
            if moment >= self.now:
                break
            interaction(
                moment,
                Interaction.Direction.INBOUND,
                channel if not spoken else Channel.EMAIL,
                rng.choice(FOLLOWUPS[profile.language]),
                subject=f"Re: {subject}",
                customer_id=profile.pk,
            )
            set_status(moment, Case.Status.OPEN, None)
            if kind == Case.Kind.COMPLAINT and rng.random() < 0.3:
                waiting = moment + rng.uniform(600, 4 * HOUR)
                if waiting < self.now:
                    set_status(waiting, Case.Status.PENDING_INTERNAL, agent.pk)
                    moment = waiting

        if status == Case.Status.PENDING_CUSTOMER and rng.random() < 0.93:
            resolved = last + rng.uniform(0.2 * DAY, 4 * DAY)
            if resolved < self.now:
                set_status(resolved, Case.Status.RESOLVED, agent.pk)
                case["resolved_at"] = at(resolved)
                closed = resolved + 7 * DAY
                if closed < self.now:
                    set_status(closed, Case.Status.CLOSED, None)
                    case["closed_at"] = at(closed)
        return self.finish(story, status, last)

    def finish(self, story: CaseStory, status: str, last: float) -> CaseStory:
        story.case["status"] = status
        story.case["updated_at"] = at(last)
        return story


def create_cases(
    rng: random.Random,
    *,
    count: int,
    now: datetime,
    profiles: list[Profile],
    writer: CaseWriter,
    progress: Progress | None,
) -> tuple[int, int]:
    times = business_times(rng, count, now=now, days=182)
    numbers = reserve_numbers(times)
    # Some customers write often: a skewed pick gives a few regulars many cases.
    picks = [profiles[int(len(profiles) * rng.random() ** 1.7)] for _ in range(count)]
    interactions = events = 0
    through = Case.tags.through
    # Cases get their ids here, so their timeline rows can be written without reading them
    # back; the database's id sequence is moved past them at the end.
    next_id = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, count, BATCH):
        stories = [
            writer.story(numbers[index], times[index], picks[index])
            for index in range(start, min(start + BATCH, count))
        ]
        with transaction.atomic():
            rows: list[dict[str, Any]] = []
            audit: list[dict[str, Any]] = []
            tagged: list[dict[str, Any]] = []
            for story in stories:
                next_id += 1
                pk = story.case["id"] = next_id
                for row in story.interactions:
                    row["case_id"] = pk
                rows += story.interactions
                for entry in story.events:
                    entry["case_id"] = pk
                audit += story.events
                tagged += [{"case_id": pk, "tag_id": tag} for tag in story.tags]
            insert_rows(Case, [story.case for story in stories], with_pk=True)
            insert_rows(Interaction, rows)
            insert_rows(Event, audit)
            insert_rows(through, tagged)
        interactions += len(rows)
        events += len(audit)
        if progress is not None:
            progress.advance(len(stories))
    reset_sequences(Case)
    return interactions, events


def seed_demo(
    *,
    cases: int,
    seed: int = 2026,
    now: datetime | None = None,
    stderr: Stream | None = None,
) -> SeedResult:
    """Add `cases` demo cases (and their customers, staff and teams) to the database."""
    started = datetime.now(UTC)
    now = now or timezone.now()
    rng = random.Random(seed)
    stream = stderr if stderr is not None else sys.stderr
    result = SeedResult()
    teams, result.logins = ensure_staff()
    ensure_setup(polish_team=teams[TEAM_PL], estonian_team=teams[TEAM_EE])
    for name in TAGS:
        Tag.objects.get_or_create(name=name)
    tags = dict(Tag.objects.filter(name__in=TAGS).values_list("name", "pk"))
    customer_count = max(10, cases // 3)
    first_customer = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    progress = Progress(stream, label="customers", total=customer_count, unit="customers")
    profiles = create_customers(rng, count=customer_count, now=now, progress=progress)
    progress.finish()
    writer = CaseWriter(rng, now=now, teams=teams, agents=team_agents(teams), tags=tags)
    progress = Progress(stream, label="cases", total=cases, unit="cases")
    result.interactions, result.events = create_cases(
        rng, count=cases, now=now, profiles=profiles, writer=writer, progress=progress
    )
    progress.finish()
    # A customer is on record since their first case (or since now, if they have none yet).
    first_case = Case.objects.filter(customer=OuterRef("pk")).order_by("created_at")
    Customer.objects.filter(pk__gt=first_customer).update(
        created_at=Coalesce(
            Subquery(first_case.values("created_at")[:1]), now, output_field=DateTimeField()
        )
    )
    bring_recent_cases_to_life(estonian_team=teams[TEAM_EE], now=now)
    result.cases = cases
    result.customers = customer_count
    result.seconds = (datetime.now(UTC) - started).total_seconds()
    return result


def staff_table(logins: list[tuple[str, str, str, str]]) -> str:
    header = ("username", "password", "role", "teams")
    rows = [header, *logins]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}"
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)
