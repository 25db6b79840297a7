import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Interaction
from opiekun.cases.tests.factories import CaseFactory
from opiekun.channels.visits.inbound import call_next, log_visit, take_ticket
from opiekun.channels.visits.models import QueueTicket, ServicePoint
from opiekun.channels.visits.selectors import city_of, waiting_times
from opiekun.customers.models import Customer, KnownFact
from opiekun.customers.tests.factories import (
    CustomerFactory,
    IdentityFactory,
    KnownFactFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(team_a: Team) -> ServicePoint:
    return ServicePoint.objects.create(name="Salon Kraków", slug="krakow", team=team_a)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_numbers_count_up_and_the_longest_waiting_is_called_first(
    shop: ServicePoint, agent_ann: User
) -> None:
    first, second = take_ticket(shop, reason="Zwrot"), take_ticket(shop)

    called = call_next(shop, by=agent_ann, desk="Okienko 2")

    assert (first.code, second.code) == ("A001", "A002")
    assert called == first
    assert (called.state, called.desk, called.called_by) == ("called", "Okienko 2", agent_ann)
    assert call_next(shop, by=agent_ann) == second
    assert call_next(shop, by=agent_ann) is None


def test_waiting_time_runs_from_number_to_call(shop: ServicePoint, agent_ann: User) -> None:
    ticket = take_ticket(shop)
    QueueTicket.objects.filter(pk=ticket.pk).update(
        created_at=timezone.now() - timedelta(minutes=7)
    )

    call_next(shop, by=agent_ann)

    (waited,) = waiting_times(QueueTicket.objects.all())
    assert timedelta(minutes=7) <= waited < timedelta(minutes=7, seconds=5)


def test_a_visit_is_logged_with_handle_time_and_serves_the_ticket(
    shop: ServicePoint, agent_ann: User
) -> None:
    customer = CustomerFactory.create()
    ticket = take_ticket(shop)
    started = timezone.now() - timedelta(minutes=6)

    visit = log_visit(
        point=shop, customer=customer, by=agent_ann, reason="Wymiana rozmiaru",
        outcome="resolved", started_at=started, ended_at=started + timedelta(minutes=6),
        ticket=ticket,
    )  # fmt: skip

    assert (visit.channel, visit.handle_seconds, visit.case.channel) == ("visit", 360, "visit")
    assert visit.meta == {"outcome": "resolved", "service_point": "krakow", "ticket": "A001"}
    ticket.refresh_from_db()
    assert (ticket.state, ticket.interaction) == (QueueTicket.State.SERVED, visit)


def test_a_returning_customer_in_three_taps(shop: ServicePoint, agent_ann: User) -> None:
    regular = CustomerFactory.create(name="Pani Halina")
    open_case = CaseFactory.create(customer=regular, team=shop.team, subject="Naprawa zegarka")
    log_visit(point=shop, customer=regular, by=agent_ann, reason="Oddanie zegarka",
              outcome="answered", started_at=timezone.now(), case=open_case)  # fmt: skip
    client = signed_in(agent_ann)

    counter = client.get(reverse("visits:counter", args=["krakow"])).content.decode()  # screen
    tap_1 = client.get(reverse("visits:visitor", args=["krakow", regular.pk]))
    tap_2_and_3 = client.post(
        reverse("visits:save_visit", args=["krakow", regular.pk]),
        {"case": open_case.number, "reason": "Odbiór zegarka", "outcome": "resolved",
         "kind": "request", "started_at": timezone.now().isoformat()},
    )  # fmt: skip

    assert "Pani Halina" in counter
    assert open_case.number in tap_1.content.decode()
    assert tap_2_and_3.status_code == 302
    assert list(open_case.interactions.values_list("subject", flat=True)) == [
        "Oddanie zegarka",
        "Odbiór zegarka",
    ]


def test_kiosk_gives_a_number_and_the_display_shows_who_is_called(
    shop: ServicePoint, agent_ann: User
) -> None:
    kiosk = Client().post(reverse("visits:kiosk", args=["krakow"]))
    call_next(shop, by=agent_ann, desk="2")

    board = Client().get(reverse("visits:display", args=["krakow"]), HTTP_HX_REQUEST="true")

    assert "A001" in kiosk.content.decode()
    assert "A001" in board.content.decode()
    assert "Go to desk <strong>2</strong>" in board.content.decode()


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_display_shows_the_desk_of_the_ticket_called_now_and_the_five_calls_before(
    shop: ServicePoint, agent_ann: User, lead_lee: User
) -> None:
    for _ in range(8):
        take_ticket(shop)
    for number in range(1, 8):
        call_next(shop, by=agent_ann if number % 2 else lead_lee, desk=str(1 + number % 2))
        QueueTicket.objects.filter(number=number).update(
            called_at=timezone.now() - timedelta(minutes=10 - number)
        )

    page = Client().get(reverse("visits:display", args=["krakow"]))
    html = page.content.decode()
    now_called = text_of(html.split('<section aria-labelledby="earlier-title">')[0])
    earlier = re.findall(r'<td class="code">(\w+)</td><td>(\w+)</td>', html)

    assert page.status_code == 200
    assert now_called.endswith("Now called A007 Go to desk 2")
    assert earlier == [("A006", "1"), ("A005", "2"), ("A004", "1"), ("A003", "2"), ("A002", "1")]
    assert 'hx-trigger="every 5s"' in html
    assert "1 person waiting" in text_of(html)


def test_calling_the_next_customer_needs_the_desk_and_remembers_it(
    shop: ServicePoint, agent_ann: User
) -> None:
    take_ticket(shop)
    client = signed_in(agent_ann)
    url = reverse("visits:next", args=["krakow"])

    refused = client.post(url, {"desk": "  "})
    waiting_after_refusal = QueueTicket.objects.get().state
    called = client.post(url, {"desk": "Okienko 3"})
    counter = client.get(reverse("visits:counter", args=["krakow"])).content.decode()

    assert refused.status_code == called.status_code == 302
    assert waiting_after_refusal == QueueTicket.State.WAITING
    ticket = QueueTicket.objects.get()
    assert (ticket.state, ticket.desk) == (QueueTicket.State.CALLED, "Okienko 3")
    assert 'name="desk" id="id_desk" value="Okienko 3"' in counter


def test_a_new_walk_in_customer_needs_a_phone_or_email(shop: ServicePoint, agent_ann: User) -> None:
    client = signed_in(agent_ann)

    refused = client.post(reverse("visits:new_visitor", args=["krakow"]), {"name": "Jan"})
    created = client.post(
        reverse("visits:new_visitor", args=["krakow"]), {"name": "Jan", "phone": "601 202 303"}
    )

    assert refused.status_code == 400
    customer = Customer.objects.get(name="Jan")
    assert created["Location"] == reverse("visits:visitor", args=["krakow", customer.pk])


def test_another_teams_counter_and_cases_are_out_of_reach(
    shop: ServicePoint, agent_ann: User, agent_otto: User, team_b: Team
) -> None:
    own_point = ServicePoint.objects.create(name="Tallinn", slug="tallinn", team=team_b)
    customer = CustomerFactory.create()
    theirs = CaseFactory.create(customer=customer, team=shop.team)
    client = signed_in(agent_otto)

    counter = client.get(reverse("visits:counter", args=["krakow"]))
    onto_their_case = client.post(
        reverse("visits:save_visit", args=[own_point.slug, customer.pk]),
        {"case": theirs.number, "reason": "x", "outcome": "answered", "kind": "question",
         "started_at": timezone.now().isoformat()},
    )  # fmt: skip

    assert counter.status_code == 404
    assert onto_their_case.status_code == 400
    assert not Interaction.objects.exists()
    assert Case.objects.count() == 1


def test_the_counter_search_tells_two_namesakes_apart_by_phone_email_and_city(
    shop: ServicePoint, agent_ann: User
) -> None:
    warsaw = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=warsaw, kind="phone", value="+48601000001")
    IdentityFactory.create(customer=warsaw, value="jan.k@example.pl")
    KnownFactFactory.create(
        customer=warsaw, kind=KnownFact.Kind.ADDRESS, value="ul. Długa 12/4, 00-238 Warszawa"
    )
    gdynia = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=gdynia, kind="phone", value="+48602000002")
    KnownFactFactory.create(
        customer=gdynia, kind=KnownFact.Kind.ADDRESS, value="ul. Świętojańska 5, 81-368 Gdynia"
    )

    counter = reverse("visits:counter", args=["krakow"])
    response = signed_in(agent_ann).get(counter, {"q": "Jan Kowalski"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    rows = [text_of(row) for row in re.findall(r"<li>(.*?)</li>", html, re.DOTALL)]

    assert sorted(rows) == [
        "Jan Kowalski Phone: +48 601 000 001 Email: jan.k@example.pl City: Warszawa",
        "Jan Kowalski Phone: +48 602 000 002 City: Gdynia",
    ]
    assert "Długa" not in html
    assert "Świętojańska" not in html


@pytest.mark.parametrize(
    ("address", "city"),
    [
        ("ul. Długa 12/4, 00-238 Warszawa", "Warszawa"),
        ("Pärnu mnt 22-5, 10141 Tallinn", "Tallinn"),
        ("14 Baker Street, London NW1 6XE", "London"),
        ("Rüütli 3, Tartu", "Tartu"),
        ("ul. Długa 12/4 00-238 Warszawa", "Warszawa"),
        ("ul. Floriańska 7, 31-019 Kraków, Polska", "Kraków"),
        ("ul. Długa 12/4", ""),
        ("", ""),
    ],
)
def test_the_city_of_an_address_never_includes_the_street(address: str, city: str) -> None:
    assert city_of(address) == city


def test_a_visit_shows_its_outcome_on_the_timeline(shop: ServicePoint, agent_ann: User) -> None:
    customer = CustomerFactory.create()

    visit = log_visit(
        point=shop, customer=customer, by=agent_ann, reason="Zamówienie", outcome="order",
        started_at=timezone.now(),
    )  # fmt: skip
    page = signed_in(agent_ann).get(visit.case.get_absolute_url()).content.decode()

    assert "Ann served the visit at Salon Kraków: Order taken." in text_of(page)
