import os
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opiekun.accounts.models import Team
from opiekun.cases.models import Attachment, Case
from opiekun.channels.web.models import ContactForm
from opiekun.core.kept_files import KEEP_FOR, keep, kept, prune_kept_files
from opiekun.customers.models import KnownFact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def shop_form(team_a: Team) -> ContactForm:
    return ContactForm.objects.create(
        slug="sklep",
        title="Kontakt",
        team=team_a,
        fields=["order", "attachments"],
        allowed_origins=["https://www.sklep.example"],
    )


def filled(**extra: object) -> dict[str, object]:
    return {
        "name": "Anna Wiśniewska",
        "email": "anna@example.pl",
        "subject": "Brak paczki",
        "message": "Zamówienie nie dotarło.",
        "order": "ZAM/2026/77",
        "website": "",
        **extra,
    }


def test_a_message_opens_a_case_notes_the_order_and_acknowledges_with_a_portal_link(
    shop_form: ContactForm, django_capture_on_commit_callbacks: object
) -> None:
    upload = SimpleUploadedFile("paragon.pdf", b"%PDF-1.4 paragon", content_type="application/pdf")

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = Client().post(
            reverse("web:contact", args=["sklep"]) + "?language=pl",
            filled(attachments=[upload]),
        )

    case = Case.objects.get()
    assert response.status_code == 200
    assert case.number in response.content.decode()
    assert (case.channel, case.team, case.language, case.customer.name) == (
        "web", shop_form.team, "pl", "Anna Wiśniewska",
    )  # fmt: skip
    assert case.interactions.get(direction="inbound").body_text == "Zamówienie nie dotarło."
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["paragon.pdf"]
    fact = KnownFact.objects.get()
    assert (fact.kind, fact.value, fact.source_case) == ("order", "ZAM/2026/77", case)
    ack = mail.outbox[0]
    assert ack.to == ["anna@example.pl"]
    assert ack.subject.startswith(f"[#{case.number}]")
    assert "/portal/" in ack.message().as_string()
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"
    sent = case.interactions.get(direction="outbound")
    assert (sent.meta["auto"], sent.meta["to"], sent.delivery_status) == (
        "acknowledgement",
        "anna@example.pl",
        "sent",
    )


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_kept(shop_form: ContactForm) -> None:
    response = Client().post(reverse("web:contact", args=["sklep"]), filled(website="http://spam"))

    assert response.status_code == 200
    assert not Case.objects.exists()
    assert mail.outbox == []


def test_missing_fields_are_explained_in_the_visitors_language(shop_form: ContactForm) -> None:
    response = Client().post(
        reverse("web:contact", args=["sklep"]), {"name": "A"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Case.objects.exists()


def test_submissions_are_rate_limited_per_address(shop_form: ContactForm) -> None:
    client = Client()
    statuses = [
        client.post(reverse("web:contact", args=["sklep"]), filled(subject=f"S{n}")).status_code
        for n in range(7)
    ]

    assert statuses == [200, 200, 200, 200, 200, 429, 429]
    assert Case.objects.count() == 5


def test_only_the_named_websites_may_embed_the_form(shop_form: ContactForm) -> None:
    response = Client().get(reverse("web:contact", args=["sklep"]))

    assert "frame-ancestors 'self' https://www.sklep.example" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response


def test_fields_the_admin_did_not_choose_are_not_shown(shop_form: ContactForm) -> None:
    page = Client().get(reverse("web:contact", args=["sklep"])).content.decode()

    assert 'name="order"' in page
    assert 'name="phone"' not in page
    assert 'name="kind"' not in page


def test_a_form_error_keeps_the_chosen_file_and_the_next_try_sends_it(
    shop_form: ContactForm,
) -> None:
    upload = SimpleUploadedFile("paragon.pdf", b"%PDF-1.4 paragon", content_type="application/pdf")
    url = reverse("web:contact", args=["sklep"]) + "?language=pl"

    refused = Client().post(url, filled(email="nie-adres", attachments=[upload]))
    token = re.search(r'name="kept" value="([^"]+)"', refused.content.decode())
    assert refused.status_code == 400
    assert token is not None
    assert "paragon.pdf" in refused.content.decode()

    Client().post(url, filled(kept=token[1]))  # the file is not chosen again

    case = Case.objects.get()
    assert [
        (a.filename, a.file.read()) for a in Attachment.objects.filter(interaction__case=case)
    ] == [("paragon.pdf", b"%PDF-1.4 paragon")]


def test_kept_files_nobody_came_back_for_are_removed(shop_form: ContactForm) -> None:
    upload = SimpleUploadedFile("paragon.pdf", b"%PDF-1.4", content_type="application/pdf")
    token = keep([upload])
    (kept_file,) = kept(token)
    fresh = keep([SimpleUploadedFile("nowy.pdf", b"%PDF-1.4")])
    long_ago = (timezone.now() - KEEP_FOR - timedelta(minutes=1)).timestamp()
    os.utime(default_storage.path(kept_file.path), (long_ago, long_ago))

    removed = prune_kept_files.call()

    assert removed == 1
    assert [f.name for f in kept(fresh)] == ["nowy.pdf"]
    assert not default_storage.exists(kept_file.path.rsplit("/", 1)[0])  # its folder too
    assert prune_kept_files.call() == 0  # a second run finds nothing
    assert kept(token) == []
    assert not default_storage.exists(kept_file.path)
