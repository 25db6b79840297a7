"""No built-in English placeholder or Django message shows through on a Polish or Estonian page.

Django 6.1's blank choice ("- Select an option -"), the old "---------", NullBooleanSelect's
"Unknown / Yes / No" and Django's validation messages come from Django's catalogue, not ours;
when that catalogue lacks a string, or a page renders outside the reader's language, English
shows. Every page of the demo desk is rendered for each staff role, for a portal customer and
for a visitor, in Polish and in Estonian, and searched for those strings.
"""

import io
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path

import django
import polib
import pytest
from django.contrib import admin
from django.forms import Field
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Case, Channel, Macro
from opiekun.channels.visits.models import ServicePoint
from opiekun.channels.web.models import ContactForm
from opiekun.complaints.models import Complaint, ComplaintRegime
from opiekun.complaints.services import record_understanding, register_complaint
from opiekun.customers.models import Customer
from opiekun.demo.seed import TEAM_PL, seed_demo

LANGUAGES = ("pl", "et")
STAFF = ("ann", "lee", "maja", "adam")  # agent, lead, manager, admin in the demo

# Blank and null choices that Django writes into <option> elements.
PLACEHOLDER_OPTION = re.compile(
    r"<option[^>]*>\s*(- Select an option -|-{9}|Unknown|Yes|No)\s*</option>"
)
PLACEHOLDERS = ("- Select an option -", "---------", "Choose a valid", "Select a valid choice")


@cache
def django_messages() -> tuple[str, ...]:
    """Django's own English messages for forms and fields, cut before their first variable
    (long enough to be unmistakable in a page)."""
    catalogue = Path(django.__file__).parent / "conf/locale/en/LC_MESSAGES/django.po"
    sources = ("forms/", "core/validators.py", "db/models/fields/", "contrib/auth/")
    found = set()
    for entry in polib.pofile(str(catalogue)):
        if not any(path.startswith(sources) for path, _line in entry.occurrences):
            continue
        text = re.split(r"%\(|%s|%d|{", entry.msgid)[0].strip()
        if len(text) >= 14:
            found.add(text)
    return tuple(sorted(found))


def english_placeholders(html: str) -> list[str]:
    found = {match.group(0) for match in PLACEHOLDER_OPTION.finditer(html)}
    found |= {text for text in (*PLACEHOLDERS, *django_messages()) if text in html}
    return sorted(found)


@dataclass(frozen=True)
class Demo:
    case: Case
    complaint_case: Case
    macro: Macro
    team: Team
    point: ServicePoint
    form: ContactForm


# A fixed day and seed give the same demo whenever the test runs.
SEEDED_ON = datetime(2026, 3, 12, 15, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Warsaw"))


def a_complaint(*, besides: Case) -> Case:
    """The demo's first registered complaint, or one registered now on another open case."""
    complaint = Complaint.objects.order_by("pk").first()
    if complaint is not None:
        return complaint.case
    case = Case.objects.filter(status__in=Case.OPEN_STATUSES, assignee__isnull=False).exclude(
        pk=besides.pk
    )[0]
    assert case.assignee is not None
    complaint = register_complaint(
        case, regime=ComplaintRegime.objects.get(code="pl-consumer"),
        received_at=case.created_at, received_channel=Channel.EMAIL,
        subject_matter=case.subject, description=case.subject,
        demand=Complaint.Demand.REPAIR, by=case.assignee,
    )  # fmt: skip
    record_understanding(complaint, by=case.assignee, text=case.subject)
    return case


@pytest.fixture
def demo(db: None) -> Demo:
    seed_demo(cases=40, seed=11, now=SEEDED_ON, stderr=io.StringIO())
    case = Case.objects.filter(assignee__username="ann").order_by("-created_at")[0]
    return Demo(
        case=case,
        complaint_case=a_complaint(besides=case),
        macro=Macro.objects.order_by("pk")[0],
        team=Team.objects.get(name=TEAM_PL),
        point=ServicePoint.objects.get(slug="warszawa"),
        form=ContactForm.objects.get(slug="kontakt"),
    )


def staff_pages(demo: Demo) -> Iterator[str]:
    """Every page a member of staff opens with GET (a role may be refused some of them)."""
    number = {"number": demo.case.number}
    yield from (
        reverse("cases:list"),
        reverse("cases:list") + "?status=all&assignee=me",
        reverse("cases:detail", kwargs=number),
        reverse("cases:detail", kwargs={"number": demo.complaint_case.number}),
        reverse("cases:merge", kwargs=number),
        reverse("customers:list"),
        reverse("customers:create"),
        reverse("customers:detail", kwargs={"pk": demo.case.customer_id}),
        reverse("customers:edit", kwargs={"pk": demo.case.customer_id}),
        reverse("customers:merge", kwargs={"pk": demo.case.customer_id}),
        reverse("macros:list"),
        reverse("macros:create"),
        reverse("macros:edit", kwargs={"pk": demo.macro.pk}),
        reverse("complaints:register"),
        reverse("complaints:board"),
        reverse("phone:log"),
        reverse("phone:lookup") + "?number=%2B48500000001",
        reverse("phone:callbacks"),
        reverse("visits:points"),
        reverse("visits:counter", kwargs={"slug": demo.point.slug}),
        reverse("visits:visitor", kwargs={"slug": demo.point.slug, "pk": demo.case.customer_id}),
        reverse("feedback:ledger"),
        reverse("feedback:approvals"),
        reverse("email_channel:mailbox_list"),
        reverse("email_channel:mailbox_create"),
        reverse("email_channel:quarantine"),
        reverse("accounts:profile"),
        reverse("accounts:teams"),
        reverse("accounts:team_new"),
        reverse("accounts:team_edit", kwargs={"team_id": demo.team.pk}),
    )


def admin_pages(demo: Demo) -> Iterator[str]:
    """The admin's index, and every model's list and empty form."""
    yield reverse("admin:index")
    for model in admin.site._registry:
        yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    # The forms with choices; Django writes the same blank choice into all of them.
    for name in ("cases_case", "complaints_complaint", "email_mailbox", "accounts_user"):
        yield reverse(f"admin:{name}_add")
    yield reverse("admin:cases_case_change", args=[demo.case.pk])
    yield reverse("admin:complaints_complaint_change", args=[demo.complaint_case.complaint.pk])


def public_pages(demo: Demo) -> Iterator[str]:
    yield from (
        reverse("accounts:login"),
        reverse("portal:start"),
        reverse("web:contact", kwargs={"slug": demo.form.slug}),
        reverse("visits:kiosk", kwargs={"slug": demo.point.slug}),
        reverse("visits:display", kwargs={"slug": demo.point.slug}),
    )


def forms_sent_empty(demo: Demo) -> Iterator[str]:
    """Forms posted with nothing filled in, so that their error messages render."""
    yield from (
        reverse("customers:create"),
        reverse("macros:create"),
        reverse("accounts:team_new"),
        reverse("cases:reply", kwargs={"number": demo.case.number}),
    )


def public_forms_sent_empty(demo: Demo) -> Iterator[str]:
    yield from (
        reverse("portal:start"),
        reverse("web:contact", kwargs={"slug": demo.form.slug}),
    )


def check(client: Client, url: str) -> tuple[int, list[str]]:
    response = client.get(url)
    if response.status_code != 200:
        return response.status_code, []
    return response.status_code, english_placeholders(response.content.decode())


def check_sent_empty(client: Client, url: str, *, language: str) -> list[str]:
    """Post the form empty; its errors must be there, in the page's language."""
    # One unknown key: views build an unbound form from an empty POST (`request.POST or None`).
    response = client.post(url, {"submitted": "1"})
    html = response.content.decode()
    with translation.override(language):
        required = str(Field.default_error_messages["required"])
    if response.status_code in (200, 400) and required not in html:
        return [f"no “{required}” in the answer"]
    return english_placeholders(html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_placeholder_on_staff_pages(demo: Demo, language: str) -> None:
    problems = []
    shown: set[str] = set()
    for username in STAFF:
        user = User.objects.get(username=username)
        user.language = language
        user.save(update_fields=["language"])
        client = Client()
        client.force_login(user)
        pages = [*staff_pages(demo), *(admin_pages(demo) if user.is_superuser else [])]
        for url in pages:
            status, found = check(client, url)
            if status == 200:
                shown.add(url)
            problems += [f"{username} {url}: {text!r}" for text in found]
        for url in forms_sent_empty(demo):
            found = check_sent_empty(client, url, language=language)
            problems += [f"{username} POST {url}: {text!r}" for text in found]
    assert not problems, "\n".join(problems)
    # Every page was seen by someone, so none of them went unchecked.
    assert {*staff_pages(demo), *admin_pages(demo)} - shown == set()


def signed_in_to_the_portal(customer: Customer) -> Client:
    client = Client()
    session = client.session
    session["portal_customer"] = customer.pk
    session["portal_identity_version"] = customer.identity_version
    session.save()
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_english_placeholder_on_public_and_portal_pages(demo: Demo, language: str) -> None:
    visitor = Client(headers={"accept-language": language})
    problems = []
    for url in public_pages(demo):
        status, found = check(visitor, url)
        assert status == 200, url
        problems += [f"{url}: {text!r}" for text in found]
    for url in public_forms_sent_empty(demo):
        found = check_sent_empty(visitor, url, language=language)
        problems += [f"POST {url}: {text!r}" for text in found]
    for case in (demo.case, demo.complaint_case):
        Customer.objects.filter(pk=case.customer_id).update(language=language)
        portal = signed_in_to_the_portal(Customer.objects.get(pk=case.customer_id))
        for url in (reverse("portal:cases"), reverse("portal:case", args=[case.number])):
            status, found = check(portal, url)
            assert status == 200, url
            problems += [f"portal {url}: {text!r}" for text in found]
    assert not problems, "\n".join(problems)


def test_the_checks_see_what_django_writes_in_english() -> None:
    html = (
        '<select><option value="" selected>- Select an option -</option></select>'
        '<select><option value="unknown">Unknown</option><option value="true">Yes</option>'
        '<ul class="errorlist"><li>This field is required.</li></ul>'
        "<p>Enter a valid email address.</p>"
    )

    found = english_placeholders(html)

    assert '<option value="" selected>- Select an option -</option>' in found
    assert '<option value="unknown">Unknown</option>' in found
    assert "This field is required." in found
    assert "Enter a valid email address." in found
