from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Event
from opiekun.cases.tests.factories import CaseFactory
from opiekun.sla.commitments import (
    CommitmentError,
    check_commitments,
    keep_commitment,
    kept_rate,
    make_commitment,
)
from opiekun.sla.models import Commitment
from opiekun.sla.tasks import check_service_levels

WARSAW = ZoneInfo("Europe/Warsaw")
pytestmark = pytest.mark.django_db


def test_a_promise_is_recorded_on_the_timeline(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)
    due = timezone.now() + timedelta(hours=2)

    commitment = make_commitment(case, description="Oddzwonimy do 15:00", due_at=due, by=agent_ann)

    event = Event.objects.get(case=case, kind="commitment")
    assert event.payload == {
        "what": "made",
        "description": "Oddzwonimy do 15:00",
        "due_at": due.isoformat(),
    }
    assert (commitment.made_by, commitment.is_open) == (agent_ann, True)


def test_a_promise_in_the_past_is_refused(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)

    with pytest.raises(CommitmentError):
        make_commitment(
            case, description="Wczoraj", due_at=timezone.now() - timedelta(minutes=1), by=agent_ann
        )

    assert not Commitment.objects.exists()


def test_kept_in_time_counts_as_kept_and_late_as_broken(team_a: Team, agent_ann: User) -> None:
    case = CaseFactory.create(team=team_a)
    due = timezone.now() + timedelta(hours=1)
    on_time = make_commitment(case, description="Telefon", due_at=due, by=agent_ann)
    late = make_commitment(case, description="Aktualizacja", due_at=due, by=agent_ann)

    keep_commitment(on_time, by=agent_ann, when=due - timedelta(minutes=5))
    keep_commitment(late, by=agent_ann, when=due + timedelta(minutes=5))

    assert (on_time.kept_at, late.kept_at, late.broken_at) == (
        due - timedelta(minutes=5),
        None,
        due + timedelta(minutes=5),
    )
    assert kept_rate(Commitment.objects.all()).rate == 0.5
    with pytest.raises(CommitmentError):
        keep_commitment(late, by=agent_ann)


def test_worker_reminds_once_before_and_breaks_after_due(
    team_a: Team,
    agent_ann: User,
    lead_lee: User,
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    case = CaseFactory.create(team=team_a, assignee=agent_ann)
    due = datetime(2030, 5, 6, 15, tzinfo=WARSAW)
    commitment = make_commitment(
        case, description="Oddzwonić w sprawie zwrotu", due_at=due, by=lead_lee
    )

    with django_capture_on_commit_callbacks(execute=True):
        far = check_commitments(now=due - timedelta(hours=2))
        near = check_commitments(now=due - timedelta(minutes=20))
        nearer = check_commitments(now=due - timedelta(minutes=10))
        after = check_commitments(now=due + timedelta(minutes=1))

    assert [far, near, nearer, after] == [
        {"reminded": 0, "broken": 0},
        {"reminded": 1, "broken": 0},
        {"reminded": 0, "broken": 0},
        {"reminded": 0, "broken": 1},
    ]
    assert [m.to for m in mail.outbox] == [[agent_ann.email]]
    assert mail.outbox[0].subject == (
        f"[#{case.number}] Promise due at 15:00: Oddzwonić w sprawie zwrotu"
    )
    commitment.refresh_from_db()
    assert commitment.broken_at == due + timedelta(minutes=1)


def test_the_periodic_task_runs_both_checks(team_a: Team, agent_ann: User) -> None:
    result = check_service_levels.call()

    assert result == {"warned": 0, "breached": 0, "reminded": 0, "broken": 0}
