from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opiekun.accounts.models import Team, User
from opiekun.cases.models import Attachment, Case, Interaction
from opiekun.cases.services import store_attachment
from opiekun.cases.tests.factories import CaseFactory, InteractionFactory
from opiekun.customers.tests.factories import CustomerFactory, IdentityFactory


def customer_with_email() -> Any:
    customer = CustomerFactory.create(name="Jan Kowalski")
    IdentityFactory.create(customer=customer, value="jan@example.pl")
    return customer


def test_reply_with_attachments_goes_to_the_customer(
    client: Client, agent_ann: User, team_a: Team, django_capture_on_commit_callbacks: Any
) -> None:
    case = CaseFactory.create(team=team_a, customer=customer_with_email(), subject="Zwrot")
    client.force_login(agent_ann)
    files = [
        SimpleUploadedFile("etykieta.pdf", b"%PDF-1.4 label", content_type="application/pdf"),
        SimpleUploadedFile("zdjęcie.png", b"\x89PNG", content_type="image/png"),
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{case.number}/reply/", {"body": "Etykieta w załączniku.", "attachments": files}
        )

    assert response.status_code == 302
    reply = Interaction.objects.get(case=case)
    assert (reply.direction, reply.author, reply.body_text, reply.delivery_status) == (
        Interaction.Direction.OUTBOUND,
        agent_ann,
        "Etykieta w załączniku.",
        Interaction.DeliveryStatus.SENT,
    )
    assert list(reply.attachments.values_list("filename", "size")) == [
        ("etykieta.pdf", 14),
        ("zdjęcie.png", 4),
    ]
    assert [message.to for message in mail.outbox] == [["jan@example.pl"]]
    case.refresh_from_db()
    assert case.status == Case.Status.PENDING_CUSTOMER


def test_an_empty_reply_is_refused(client: Client, agent_ann: User, team_a: Team) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = client.post(f"/cases/{case.number}/reply/", {"body": ""})

    assert response.status_code == 400
    assert not Interaction.objects.exists()
    assert mail.outbox == []


def test_too_large_attachment_is_refused_and_nothing_is_sent(
    client: Client,
    agent_ann: User,
    team_a: Team,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    case = CaseFactory.create(team=team_a, customer=customer_with_email())
    client.force_login(agent_ann)
    big = SimpleUploadedFile("big.bin", b"x" * (1024 * 1024 + 1))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{case.number}/reply/", {"body": "Proszę", "attachments": [big]}
        )

    assert response.status_code == 400
    assert "“big.bin” is larger than the limit of 1.0\xa0MB." in response.content.decode()
    assert not Interaction.objects.exists()
    assert mail.outbox == []


def test_internal_note_is_on_the_timeline_and_never_sent(
    client: Client, agent_ann: User, team_a: Team, django_capture_on_commit_callbacks: Any
) -> None:
    case = CaseFactory.create(team=team_a, customer=customer_with_email())
    client.force_login(agent_ann)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{case.number}/note/", {"note-body": "Klient VIP"})

    assert response.status_code == 302
    note = Interaction.objects.get(case=case)
    assert (note.direction, note.body_text, note.author, note.delivery_status) == (
        Interaction.Direction.INTERNAL,
        "Klient VIP",
        agent_ann,
        "",
    )
    assert mail.outbox == []


def test_htmx_note_returns_the_timeline_and_a_fresh_note_form(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    client.force_login(agent_ann)

    response = client.post(
        f"/cases/{case.number}/note/",
        {"note-body": "Do sprawdzenia"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert '<ol id="timeline" class="timeline" hx-swap-oob="true">' in html
    assert '<section id="note" class="card compose internal" hx-swap-oob="true">' in html
    assert 'id="compose"' not in html
    assert "Do sprawdzenia" in html


def attachment_of(case: Case, name: str, content: bytes, content_type: str) -> Attachment:
    interaction = InteractionFactory.create(case=case)
    return store_attachment(interaction, filename=name, content=content, content_type=content_type)


def test_attachment_downloads_with_safe_headers(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    attachment = attachment_of(case, "faktura 11/2026.pdf", b"%PDF-1.4", "application/pdf")
    client.force_login(agent_ann)

    response = client.get(f"/cases/{case.number}/attachments/{attachment.pk}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4"  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_html_and_svg_are_never_served_as_themselves(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    html = attachment_of(case, "strona.html", b"<script>alert(1)</script>", "text/html")
    svg = attachment_of(case, "logo.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")
    client.force_login(agent_ann)

    responses = [client.get(f"/cases/{case.number}/attachments/{item.pk}/") for item in (html, svg)]

    assert [(r["Content-Type"], r["Content-Disposition"]) for r in responses] == [
        ("application/octet-stream", 'attachment; filename="strona.html"'),
        ("application/octet-stream", 'attachment; filename="logo.svg"'),
    ]


def test_non_ascii_file_names_are_encoded_for_the_header(
    client: Client, agent_ann: User, team_a: Team
) -> None:
    case = CaseFactory.create(team=team_a)
    attachment = attachment_of(case, "żółw.txt", b"x", "text/plain")
    client.force_login(agent_ann)

    response = client.get(f"/cases/{case.number}/attachments/{attachment.pk}/")

    assert response["Content-Disposition"] == "attachment; filename*=utf-8''%C5%BC%C3%B3%C5%82w.txt"


def test_attachment_of_another_case_is_not_found_through_this_case(
    client: Client, agent_ann: User, team_a: Team, team_b: Team
) -> None:
    mine = CaseFactory.create(team=team_a)
    theirs = CaseFactory.create(team=team_b)
    attachment = attachment_of(theirs, "tajne.pdf", b"%PDF", "application/pdf")
    client.force_login(agent_ann)

    response = client.get(f"/cases/{mine.number}/attachments/{attachment.pk}/")

    assert response.status_code == 404
