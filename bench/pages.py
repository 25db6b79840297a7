"""Server time of the case list and the case page on a large SQLite database.

The database is built once per size (var/bench/1m.sqlite3 for a million cases) and reused
while its size matches. Requests go through django.test.Client against the real URLs, so the
time includes middleware, the view, its queries and the template; the reference is a bare
`SELECT … ORDER BY updated_at DESC, id DESC LIMIT 50` on the same file.
"""

import logging
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment
from django.urls import reverse

from bench.common import (
    bench_dir,
    milliseconds,
    percentile,
    remove_database,
    say,
    timings,
    use_database,
)
from opiekun.accounts.models import User
from opiekun.cases.models import Case
from opiekun.cases.selectors import Tab, tab_cases
from opiekun.core.pagination import keyset_page
from opiekun.demo.seed import seed_demo

PAGE_SIZES = (25, 50, 100)


def database_name(cases: int) -> str:
    if cases % 1_000_000 == 0:
        return f"{cases // 1_000_000}m.sqlite3"
    if cases % 1000 == 0:
        return f"{cases // 1000}k.sqlite3"
    return f"{cases}.sqlite3"


def analyze() -> None:
    """Gather SQLite's planner statistics, as a production database would have them."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def ensure_database(cases: int) -> Path:
    """The benchmark database with `cases` demo cases: reused if present, else built."""
    path = bench_dir() / database_name(cases)
    marker = Path(f"{path}.cases")
    if path.exists() and marker.exists() and marker.read_text().strip() == str(cases):
        say(f"using {path} ({cases:,} cases, built earlier)")
        return path
    say(f"building {path} with {cases:,} cases (once; later runs reuse it)")
    building = Path(f"{path}.building")
    remove_database(building)
    use_database(building)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    result = seed_demo(cases=cases, stderr=sys.stderr)
    analyze()
    connection.close()
    elapsed = time.perf_counter() - started
    remove_database(path)
    building.rename(path)
    marker.write_text(str(cases))
    say(f"built in {elapsed:.0f} s ({result.cases / result.seconds:,.0f} cases/s seeding)")
    return path


def deep_cursor(user: User, tab: str) -> str | None:
    """A cursor to the page that starts halfway down the tab's list."""
    cases, order = tab_cases(user, tab)
    total = cases.count()
    if total < 4:
        return None
    middle = list(cases.order_by(*order).values_list("pk", flat=True)[total // 2 : total // 2 + 2])
    edge = keyset_page(Case.objects.filter(pk__in=middle), cursor=None, size=1, order=order)
    return edge.next_cursor


def reference_query() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, number, subject, status, priority, updated_at FROM cases_case "
            "ORDER BY updated_at DESC, id DESC LIMIT 50"
        )
        cursor.fetchall()


def fetch(client: Client, url: str) -> Callable[[], None]:
    def get() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")

    return get


def run(cases: int, *, rounds: int) -> None:
    say(f"== case list and case page on {cases:,} cases (SQLite)")
    path = ensure_database(cases)
    use_database(path)
    # A database built earlier gets the migrations added since (usually none). A migration
    # that rebuilds a table drops its planner statistics, so they are gathered again.
    applied = MigrationRecorder(connection).applied_migrations().keys()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if MigrationRecorder(connection).applied_migrations().keys() != applied:
        say("migrations applied since the build: refreshing planner statistics (ANALYZE)")
        analyze()
    setup_test_environment()
    # A failing page is reported in one line below, not with the request log's traceback.
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    reference = timings(reference_query, rounds=rounds * 2)
    reference_p50 = percentile(reference, 0.5)
    say(
        f"reference: bare SELECT … LIMIT 50   p50 {milliseconds(reference_p50)}  "
        f"p95 {milliseconds(percentile(reference, 0.95))}"
    )
    list_url = reverse("cases:list")
    rows: list[tuple[str, User, str]] = []
    ann = User.objects.get(username="ann")
    maja = User.objects.get(username="maja")
    for user in (ann, maja):
        for tab, _label in Tab.choices:
            rows.append((f"list {tab}, page 1", user, f"{list_url}?tab={tab}"))
            cursor = deep_cursor(user, tab)
            if cursor:
                query = urlencode({"tab": tab, "cursor": cursor})
                rows.append((f"list {tab}, deep page", user, f"{list_url}?{query}"))
    # The tabs' counts load after the page (one request, four capped counts).
    rows += [("tab counts (after the page)", user, reverse("cases:counts")) for user in (ann, maja)]
    rows.append(
        ("list filtered (open email)", maja, f"{list_url}?tab=all&status=open&channel=email")
    )
    rows.append(
        ("list filtered (pl complaints)", maja, f"{list_url}?tab=all&kind=complaint&language=pl")
    )
    rng = random.Random(1)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = list(
        Case.objects.filter(pk__in=[rng.randrange(1, top + 1) for _ in range(50)]).values_list(
            "number", flat=True
        )[:10]
    )
    rows += [(f"case page {n}", maja, reverse("cases:detail", args=[n])) for n in picked]

    clients = {}
    for user in (ann, maja):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)
    say(f"{'page':<38} {'user':<6} {'p50':>11} {'p95':>11}  x reference p50")
    case_pages: list[float] = []
    for label, user, url in rows:
        try:
            measured = timings(fetch(clients[user.pk], url), rounds=rounds)
        except Exception as error:  # a broken page is reported; the rest still run
            say(f"{label:<38} {user.username:<6} failed: {type(error).__name__}: {error}")
            continue
        if label.startswith("case page"):
            case_pages += measured
            continue
        p50 = percentile(measured, 0.5)
        say(
            f"{label:<38} {user.username:<6} {milliseconds(p50)} "
            f"{milliseconds(percentile(measured, 0.95))}  {p50 / reference_p50:8.1f}"
        )
    if case_pages:
        p50 = percentile(case_pages, 0.5)
        say(
            f"{'case page (' + str(len(picked)) + ' cases)':<38} {'maja':<6} {milliseconds(p50)} "
            f"{milliseconds(percentile(case_pages, 0.95))}  {p50 / reference_p50:8.1f}"
        )

    portal(picked, reference_p50, rounds=rounds)

    counts = []
    for size in PAGE_SIZES:
        with override_settings(CASES_PER_PAGE=size), CaptureQueriesContext(connection) as queries:
            try:
                fetch(clients[maja.pk], f"{list_url}?tab=all")()
            except Exception as error:
                say(f"queries per list page: failed: {type(error).__name__}: {error}")
                return
        counts.append(len(queries))
    listing = ", ".join(
        f"{size} rows: {count}" for size, count in zip(PAGE_SIZES, counts, strict=True)
    )
    verdict = "equal" if len(set(counts)) == 1 else "NOT EQUAL"
    say(f"queries per list page: {listing} ({verdict})")


def portal(numbers: list[str], reference_p50: float, *, rounds: int) -> None:
    """The customer portal: a customer's case list and case page, signed in by session."""
    if not numbers:
        return
    case = Case.objects.select_related("customer").get(number=numbers[0])
    client = Client()
    session = client.session
    session["portal_customer"] = case.customer_id
    session["portal_identity_version"] = case.customer.identity_version
    session.save()
    for label, url in (
        ("portal: the customer's cases", reverse("portal:cases")),
        ("portal: case page", reverse("portal:case", args=[case.number])),
    ):
        try:
            measured = timings(fetch(client, url), rounds=rounds)
        except Exception as error:  # a broken page is reported; the rest still run
            say(f"{label:<38} {'-':<6} failed: {type(error).__name__}: {error}")
            continue
        p50 = percentile(measured, 0.5)
        say(
            f"{label:<38} {'-':<6} {milliseconds(p50)} "
            f"{milliseconds(percentile(measured, 0.95))}  {p50 / reference_p50:8.1f}"
        )
