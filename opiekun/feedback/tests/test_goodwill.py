from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from opiekun.accounts.authority import limit_for
from opiekun.accounts.models import AuthorityLimit, Team, User
from opiekun.accounts.tests.factories import UserFactory
from opiekun.cases.models import Case, Event
from opiekun.cases.tests.factories import CaseFactory
from opiekun.feedback.models import GoodwillGesture
from opiekun.feedback.selectors import awaiting_approval, ledger_totals
from opiekun.feedback.services import GoodwillError, decide_gesture, grant_gesture

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(team_a: Team) -> Case:
    return CaseFactory.create(team=team_a)


def test_role_limits_and_a_personal_limit_that_overrides_them(agent_ann: User) -> None:
    assert limit_for(agent_ann, "goodwill") == Decimal("100.00")

    AuthorityLimit.objects.create(user=agent_ann, kind="goodwill", up_to=Decimal("250"))

    assert limit_for(agent_ann, "goodwill") == Decimal("250.00")
    assert limit_for(agent_ann, "refund") == Decimal("200.00")


def test_within_the_limit_the_agent_grants_at_once(case: Case, agent_ann: User) -> None:
    gesture = grant_gesture(
        case, kind="voucher", value=Decimal("50"), reason="Opóźniona dostawa", by=agent_ann
    )

    assert (gesture.state, gesture.approved_by) == ("granted", agent_ann)
    assert Event.objects.get(case=case, kind="goodwill").payload == {
        "what": "granted", "gesture": "voucher", "value": "50", "currency": "PLN",
    }  # fmt: skip


def test_above_the_limit_it_waits_for_someone_with_the_authority(
    case: Case, agent_ann: User, lead_lee: User
) -> None:
    gesture = grant_gesture(
        case, kind="refund", value=Decimal("350"), reason="Uszkodzony towar", by=agent_ann
    )

    assert gesture.state == "awaiting"
    assert list(awaiting_approval(lead_lee)) == [gesture]
    decide_gesture(gesture, approve=True, by=lead_lee, note="OK")
    gesture.refresh_from_db()
    assert (gesture.state, gesture.approved_by) == ("granted", lead_lee)


def test_nobody_approves_above_their_limit_their_own_request_or_another_teams_case(
    case: Case, agent_ann: User, agent_otto: User, team_a: Team
) -> None:
    colleague = UserFactory.create(username="colleague")
    team_a.members.add(colleague)
    gesture = grant_gesture(case, kind="refund", value=Decimal("350"), reason="x", by=agent_ann)

    for approver in (agent_ann, colleague, agent_otto):
        with pytest.raises(GoodwillError):
            decide_gesture(gesture, approve=True, by=approver)

    gesture.refresh_from_db()
    assert (gesture.state, gesture.approved_by) == ("awaiting", None)


def test_the_ledger_adds_up_what_granted_gestures_cost(
    case: Case, agent_ann: User, lead_lee: User
) -> None:
    grant_gesture(case, kind="voucher", value=Decimal("50"), reason="a", by=agent_ann)
    grant_gesture(case, kind="voucher", value=Decimal("30.50"), reason="b", by=agent_ann)
    refused = grant_gesture(case, kind="refund", value=Decimal("900"), reason="c", by=agent_ann)
    decide_gesture(refused, approve=False, by=lead_lee, note="Nie")

    totals = ledger_totals(GoodwillGesture.objects.all())

    assert [(line.kind, line.count, line.total) for line in totals] == [
        ("voucher", 2, Decimal("80.50"))
    ]


def test_a_negative_cost_or_missing_reason_is_refused(case: Case, agent_ann: User) -> None:
    with pytest.raises(GoodwillError):
        grant_gesture(case, kind="gift", value=Decimal("-1"), reason="x", by=agent_ann)
    with pytest.raises(GoodwillError):
        grant_gesture(case, kind="gift", value=Decimal("1"), reason=" ", by=agent_ann)

    assert not GoodwillGesture.objects.exists()


def test_an_agent_cannot_approve_through_the_page_either(
    case: Case, agent_ann: User, team_a: Team
) -> None:
    colleague = UserFactory.create(username="colleague")
    team_a.members.add(colleague)
    gesture = grant_gesture(case, kind="refund", value=Decimal("350"), reason="x", by=colleague)
    client = Client()
    client.force_login(agent_ann)

    response = client.post(reverse("feedback:decide", args=[gesture.pk]), {"approve": "1"})

    assert response.status_code == 302
    gesture.refresh_from_db()
    assert gesture.state == "awaiting"
