import threading
import time
from collections.abc import Mapping

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opiekun.accounts.models import Team, User
from opiekun.accounts.tests.factories import TeamFactory, UserFactory
from opiekun.cases.models import Case, Channel, Event
from opiekun.cases.routing import route_case, routing_candidates
from opiekun.cases.tests.factories import CaseFactory

ONLINE = User.Availability.ONLINE
AWAY = User.Availability.AWAY
OFFLINE = User.Availability.OFFLINE


def members(team: Team, *specs: Mapping[str, object]) -> list[User]:
    """Team members created in order, so their ids ascend in the order given."""
    users = [UserFactory.create(**spec) for spec in specs]
    team.members.add(*users)
    return users


def routed(team: Team, **fields: object) -> User | None:
    case = CaseFactory.create(team=team, **fields)
    return route_case(case)


def holding(agent: User, count: int, **fields: object) -> None:
    CaseFactory.create_batch(count, **{"assignee": agent, "status": Case.Status.OPEN, **fields})


@pytest.fixture
def round_robin(db: None) -> Team:
    return TeamFactory.create(name="Obsługa", routing=Team.Routing.ROUND_ROBIN)


@pytest.fixture
def least_loaded(db: None) -> Team:
    return TeamFactory.create(name="Reklamacje", routing=Team.Routing.LOAD)


def test_manual_team_leaves_the_case_unassigned(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)

    agent = route_case(case)

    assert agent is None
    case.refresh_from_db()
    assert case.assignee is None
    assert case.status == Case.Status.NEW
    assert list(Event.objects.filter(case=case).values_list("kind", flat=True)) == []


def test_round_robin_starts_with_the_lowest_id_and_wraps(round_robin: Team) -> None:
    ada, bea, cyd = members(round_robin, {}, {}, {})

    picked = [routed(round_robin) for _ in range(5)]

    assert picked == [ada, bea, cyd, ada, bea]
    round_robin.refresh_from_db()
    assert round_robin.last_assigned == bea


def test_round_robin_continues_after_the_last_assigned_member(round_robin: Team) -> None:
    ada, bea, cyd = members(round_robin, {}, {}, {})
    round_robin.last_assigned = bea
    round_robin.save()

    picked = [routed(round_robin) for _ in range(2)]

    assert picked == [cyd, ada]


def test_round_robin_continues_when_the_last_assigned_member_left_the_team(
    round_robin: Team,
) -> None:
    ada, bea, cyd = members(round_robin, {}, {}, {})
    round_robin.last_assigned = bea
    round_robin.save()
    round_robin.members.remove(bea)

    picked = [routed(round_robin) for _ in range(2)]

    assert picked == [cyd, ada]


def test_round_robin_skips_members_who_are_not_online(round_robin: Team) -> None:
    ada, _bea, _cyd, dan = members(
        round_robin, {}, {"availability": AWAY}, {"availability": OFFLINE}, {}
    )

    picked = [routed(round_robin) for _ in range(3)]

    assert picked == [ada, dan, ada]


def test_round_robin_skips_inactive_members(round_robin: Team) -> None:
    _ada, bea = members(round_robin, {"is_active": False}, {})

    picked = [routed(round_robin) for _ in range(2)]

    assert picked == [bea, bea]


def test_round_robin_skips_members_at_capacity(round_robin: Team) -> None:
    ada, bea = members(round_robin, {"capacity": 2}, {"capacity": 1})
    holding(ada, 1)

    picked = [routed(round_robin) for _ in range(3)]

    assert picked == [ada, bea, None]
    assert Case.objects.filter(team=round_robin, assignee__isnull=True).count() == 1


def test_capacity_counts_open_cases_in_every_team_but_not_closed_or_merged_ones(
    round_robin: Team, team_b: Team
) -> None:
    (ada,) = members(round_robin, {"capacity": 3})
    holding(ada, 1, team=team_b)
    holding(ada, 1, status=Case.Status.PENDING_CUSTOMER)
    CaseFactory.create(assignee=ada, status=Case.Status.RESOLVED)
    CaseFactory.create(assignee=ada, status=Case.Status.CLOSED)
    CaseFactory.create(
        assignee=ada, status=Case.Status.OPEN, merged_into=CaseFactory.create(team=team_b)
    )

    candidates = routing_candidates(round_robin, CaseFactory.create(team=round_robin))

    assert [(c.agent, c.open_cases) for c in candidates] == [(ada, 2)]


def test_capacity_zero_keeps_a_member_out_of_routing(round_robin: Team) -> None:
    _lead, ada = members(round_robin, {"capacity": 0, "role": User.Role.LEAD}, {})

    assert routed(round_robin) == ada


def test_nobody_available_returns_none_and_keeps_the_turn(round_robin: Team) -> None:
    ada, _bea = members(round_robin, {"availability": AWAY}, {"availability": OFFLINE})
    round_robin.last_assigned = ada
    round_robin.save()
    case = CaseFactory.create(team=round_robin)

    agent = route_case(case)

    assert agent is None
    case.refresh_from_db()
    round_robin.refresh_from_db()
    assert (case.assignee, case.status) == (None, Case.Status.NEW)
    assert round_robin.last_assigned == ada
    assert Event.objects.filter(case=case).count() == 0


def test_routing_assigns_through_assign_case_and_records_the_event(
    round_robin: Team, lead_lee: User
) -> None:
    (ada,) = members(round_robin, {"first_name": "Ada", "last_name": "Nowak"})
    case = CaseFactory.create(team=round_robin)

    agent = route_case(case, by=lead_lee)

    assert agent == ada
    case.refresh_from_db()
    assert (case.assignee, case.status) == (ada, Case.Status.OPEN)
    event = Event.objects.get(case=case)
    assert (event.kind, event.actor, event.payload) == (
        Event.Kind.ASSIGNED,
        lead_lee,
        {"before": "", "after": "Ada Nowak", "after_id": ada.pk},
    )


def test_an_assigned_case_is_not_routed_again(round_robin: Team) -> None:
    _ada, bea = members(round_robin, {}, {})
    case = CaseFactory.create(team=round_robin, assignee=bea, status=Case.Status.OPEN)

    agent = route_case(case)

    assert agent == bea
    round_robin.refresh_from_db()
    assert round_robin.last_assigned is None
    assert Event.objects.filter(case=case).count() == 0


def test_a_closed_case_is_not_routed(round_robin: Team) -> None:
    members(round_robin, {})
    case = CaseFactory.create(team=round_robin, status=Case.Status.CLOSED)

    agent = route_case(case)

    assert agent is None
    case.refresh_from_db()
    assert case.assignee is None


def test_least_loaded_picks_the_member_with_fewest_open_cases(least_loaded: Team) -> None:
    ada, bea, cyd = members(least_loaded, {}, {}, {})
    holding(ada, 2)
    holding(bea, 1)
    holding(cyd, 3)

    assert routed(least_loaded) == bea


def test_least_loaded_breaks_ties_by_id(least_loaded: Team) -> None:
    ada, bea, cyd = members(least_loaded, {}, {}, {})
    holding(ada, 1)

    picked = [routed(least_loaded) for _ in range(4)]

    assert picked == [bea, cyd, ada, bea]


def test_least_loaded_skips_unavailable_and_full_members(least_loaded: Team) -> None:
    _ada, bea, cyd = members(least_loaded, {"availability": AWAY}, {"capacity": 1}, {})
    holding(bea, 1)
    holding(cyd, 5)

    assert routed(least_loaded) == cyd


@pytest.mark.parametrize(
    ("case_fields", "expected"),
    [
        ({"language": "et", "kind": Case.Kind.QUESTION, "channel": Channel.EMAIL}, "estonian"),
        ({"language": "pl", "kind": Case.Kind.COMPLAINT, "channel": Channel.EMAIL}, "complaints"),
        ({"language": "pl", "kind": Case.Kind.QUESTION, "channel": Channel.PHONE}, "phone"),
        ({"language": "pl", "kind": Case.Kind.QUESTION, "channel": Channel.EMAIL}, "anything"),
    ],
)
def test_skill_routing_only_picks_members_who_handle_language_kind_and_channel(
    least_loaded: Team, case_fields: dict[str, str], expected: str
) -> None:
    least_loaded.route_by_skill = True
    least_loaded.save()
    by_name = dict(
        zip(
            ["estonian", "complaints", "phone", "anything"],
            members(
                least_loaded,
                {"skill_languages": ["et"], "skill_channels": ["email"]},
                {"skill_languages": ["pl", "en"], "skill_kinds": ["complaint"]},
                {"skill_channels": ["phone", "visit"], "skill_kinds": ["question"]},
                {},
            ),
            strict=True,
        )
    )
    # Everyone but the expected member and the generalist is busier, so the pick shows the
    # specialist was filtered in and the others filtered out.
    holding(by_name["anything"], 1)

    agent = routed(least_loaded, **case_fields)

    assert agent == by_name[expected]


def test_skill_routing_off_ignores_skills(round_robin: Team) -> None:
    (ada,) = members(round_robin, {"skill_languages": ["et"]})

    assert routed(round_robin, language="pl") == ada


def test_skill_routing_with_no_matching_member_leaves_the_case_unassigned(
    round_robin: Team,
) -> None:
    round_robin.route_by_skill = True
    round_robin.save()
    members(round_robin, {"skill_languages": ["et"]}, {"skill_kinds": ["order"]})

    assert routed(round_robin, language="pl", kind=Case.Kind.QUESTION) is None


AVAILABILITY = st.sampled_from([ONLINE, ONLINE, AWAY, OFFLINE])


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    availability=st.lists(AVAILABILITY, min_size=1, max_size=6),
    start=st.integers(min_value=0, max_value=6),
)
def test_round_robin_gives_every_available_member_one_case_in_turn(
    availability: list[str], start: int
) -> None:
    """With k members able to work, the next k cases go to exactly those k, one each."""
    with transaction.atomic():
        team = TeamFactory.create(name="Fair", routing=Team.Routing.ROUND_ROBIN)
        people = members(team, *({"availability": a} for a in availability))
        team.last_assigned = people[start % len(people)]
        team.save()
        available = [p for p, a in zip(people, availability, strict=True) if a == ONLINE]

        picked = [routed(team) for _ in range(len(people))]

        if available:
            first_round = picked[: len(available)]
            assert sorted(p.pk for p in first_round if p) == [p.pk for p in available]
            assert [p for p in picked if p not in available] == []
        else:
            assert picked == [None] * len(people)
        transaction.set_rollback(True)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    size=st.integers(min_value=1, max_value=5),
    steps=st.data(),
)
def test_round_robin_serves_a_member_available_throughout_within_team_size_cases(
    size: int, steps: st.DataObject
) -> None:
    """Availability changes between cases; whoever stays available for any `size` consecutive
    cases gets at least one of them, and nobody unavailable ever gets one."""
    with transaction.atomic():
        team = TeamFactory.create(name="Shifts", routing=Team.Routing.ROUND_ROBIN)
        people = members(team, *({} for _ in range(size)))
        history: list[tuple[set[int], User | None]] = []
        for _ in range(3 * size):
            states = steps.draw(st.lists(AVAILABILITY, min_size=size, max_size=size))
            for person, state in zip(people, states, strict=True):
                person.availability = state
                person.save(update_fields=["availability"])
            online = {p.pk for p, s in zip(people, states, strict=True) if s == ONLINE}

            agent = routed(team)

            assert (agent.pk in online) if agent else not online
            history.append((online, agent))
        for begin in range(len(history) - size + 1):
            window = history[begin : begin + size]
            always = set.intersection(*(online for online, _ in window))
            served = {agent.pk for _, agent in window if agent}
            assert always <= served
        transaction.set_rollback(True)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"
)
@pytest.mark.django_db(transaction=True)
def test_two_processes_routing_at_once_never_take_the_same_turn() -> None:
    """The first router holds the team lock while the second tries to route; the second waits
    and then sees whose turn it is, so the two cases go to two different members."""
    team = TeamFactory.create(name="Równolegle", routing=Team.Routing.ROUND_ROBIN)
    members(team, {}, {})
    first_case, second_case = CaseFactory.create_batch(2, team=team)
    first_routed = threading.Event()
    results: dict[str, int | None] = {}

    def route(name: str, case_id: int, *, hold: bool) -> None:
        try:
            with transaction.atomic():
                case = Case.objects.select_for_update().get(pk=case_id)
                agent = route_case(case)
                results[name] = agent.pk if agent else None
                if hold:
                    first_routed.set()
                    # Keep the team locked while the other router starts.
                    time.sleep(0.5)
        finally:
            connection.close()

    first = threading.Thread(target=route, args=("first", first_case.pk), kwargs={"hold": True})
    first.start()
    first_routed.wait(timeout=10)
    second = threading.Thread(target=route, args=("second", second_case.pk), kwargs={"hold": False})
    second.start()
    first.join()
    second.join()

    assignees = set(Case.objects.values_list("assignee", flat=True))
    assert len(assignees) == 2
    assert assignees == {results["first"], results["second"]}
