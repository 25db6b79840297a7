import pytest

from opiekun.channels.email.parsing import (
    AUTO_GENERATED,
    AUTO_REPLY,
    BOUNCE,
    BULK,
    LIST,
    decode_bytes,
    decode_header_value,
    parse_message,
    quote_start,
)

POLISH = "Zażółć gęślą jaźń. Reklamacja: pralka przestała wirować, proszę o naprawę."
ESTONIAN = "Tere! Öösel jõudis pakk kätte, aga šokolaad oli sulanud. Žürii otsustab."


def _plain(body: bytes, charset: str, *, subject: bytes = b"Test", extra: bytes = b"") -> bytes:
    return (
        b"From: Klient <klient@example.pl>\r\nTo: support@example.com\r\nSubject: "
        + subject
        + b"\r\nMessage-ID: <m1@example.pl>\r\nMIME-Version: 1.0\r\n"
        + b"Content-Type: text/plain; charset="
        + charset.encode()
        + b"\r\nContent-Transfer-Encoding: 8bit\r\n"
        + extra
        + b"\r\n"
        + body
    )


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("iso-8859-2", POLISH),
        ("windows-1250", POLISH),
        ("windows-1257", ESTONIAN),
        ("iso-8859-15", "Öösel ütles žürii: väga hea, 5 €."),
        ("iso-8859-1", "Grüße aus Köln, Straße 5"),
        ("koi8-r", "Здравствуйте, посылка не пришла."),
        ("utf-8", POLISH + " " + ESTONIAN),
    ],
)
def test_declared_charsets_decode_without_loss(charset: str, text: str) -> None:
    raw = _plain(text.encode(charset), charset)

    parsed = parse_message(raw)

    assert parsed.text == text


@pytest.mark.parametrize(
    ("encoding", "text"),
    [("windows-1250", POLISH), ("iso-8859-2", POLISH), ("utf-8", ESTONIAN)],
)
def test_undeclared_or_wrong_charset_is_detected(encoding: str, text: str) -> None:
    raw = _plain(text.encode(encoding), "us-ascii")

    parsed = parse_message(raw)

    assert parsed.text == text


def test_unknown_charset_falls_back_without_raising() -> None:
    raw = _plain(POLISH.encode("windows-1250"), "x-no-such-charset")

    parsed = parse_message(raw)

    assert parsed.text == POLISH


def test_bytes_invalid_in_the_declared_charset_fall_back_to_the_likeliest() -> None:
    # Not UTF-8, undefined in windows-1250; windows-1251 reads them all as letters.
    assert decode_bytes(b"\x81\x8d\x8f\x90\x9d", "utf-8") == "ЃЌЏђќ"


def test_rfc2047_subject_in_several_charsets() -> None:
    header = (
        "=?iso-8859-2?Q?Zg=B3oszenie_nr_5:_zepsuta_pralka?= "
        "=?windows-1257?B?1vZzZWw=?= =?utf-8?q?=C5=BE=C3=BCrii?="
    )

    assert decode_header_value(header) == "Zgłoszenie nr 5: zepsuta pralkaÖöselžürii"


def test_raw_8bit_header_in_windows_1250_decodes() -> None:
    raw = _plain(b"body", "utf-8", subject="Pilne: zwrot pieniędzy za żelazko".encode("cp1250"))

    parsed = parse_message(raw)

    assert parsed.subject == "Pilne: zwrot pieniędzy za żelazko"


def test_rfc2231_and_rfc2047_attachment_names() -> None:
    raw = (
        b"From: a@example.pl\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nW za\xc5\x82\xc4\x85czniku.\r\n"
        b"--b\r\nContent-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename*=iso-8859-2''faktura_%B3%F3d%BC.pdf\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n"
        b'--b\r\nContent-Type: image/png;\r\n name="=?utf-8?B?w7Zpbm8ucG5n?="\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\niVBORw0=\r\n"
        b"--b--\r\n"
    )

    parsed = parse_message(raw)

    assert parsed.text == "W załączniku."
    assert [(a.filename, a.content, a.content_type) for a in parsed.attachments] == [
        ("faktura_łódź.pdf", b"%PDF-", "application/pdf"),
        ("öino.png", b"\x89PNG\r", "image/png"),
    ]


def test_text_only_mail_keeps_its_line_breaks() -> None:
    raw = _plain(b"Dzie\xc5\x84 dobry,\r\n\r\nlinia 1\r\nlinia 2\r\n", "utf-8")

    parsed = parse_message(raw)

    assert parsed.text == "Dzień dobry,\n\nlinia 1\nlinia 2\n"
    assert parsed.html == ""


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (b"Auto-Submitted: auto-replied\r\n", AUTO_REPLY),
        (b"X-Autoreply: yes\r\n", AUTO_REPLY),
        (b"X-Autorespond: yes\r\n", AUTO_REPLY),
        (b"Auto-Submitted: auto-generated\r\n", AUTO_GENERATED),
        (b"Precedence: bulk\r\n", BULK),
        (b"Precedence: junk\r\n", BULK),
        (b"Precedence: list\r\n", LIST),
        (b"List-Id: <news.example.pl>\r\n", LIST),
        (b"List-Unsubscribe: <mailto:off@example.pl>\r\n", LIST),
        (b"Return-Path: <>\r\n", AUTO_GENERATED),
        (b"Auto-Submitted: no\r\n", ""),
    ],
)
def test_automatic_mail_is_recognised(headers: bytes, kind: str) -> None:
    raw = _plain(b"text", "utf-8", extra=headers)

    assert parse_message(raw).auto == kind


def test_dsn_names_the_bounced_message() -> None:
    raw = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example.pl>\r\n"
        b"To: support@example.com\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
        b"--r\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.pl\r\n\r\nFinal-Recipient: rfc822; gone@example.pl\r\n"
        b"Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n"
        b"--r\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        b"Message-ID: <opiekun.2026-000123.45.abcd1234@example.com>\r\nSubject: Re: x\r\n"
        b"--r--\r\n"
    )

    parsed = parse_message(raw)

    assert parsed.auto == BOUNCE
    assert parsed.bounced_ids == ["<opiekun.2026-000123.45.abcd1234@example.com>"]
    assert parsed.bounce_reason == "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 no such user"


def test_quote_start_in_polish_and_english_replies() -> None:
    polish = "Dziękuję!\n\nW dniu 12.03.2026 o 10:00, Opiekun pisze:\n> Dzień dobry\n"
    english = "Thanks\n\nOn Tue, 3 Mar 2026, Support <s@example.com> wrote:\n> Hello\n"
    bare = "Yes please.\n> earlier text\n> more\n"

    assert quote_start(polish) == polish.index("W dniu")
    assert quote_start(english) == english.index("On Tue")
    assert quote_start(bare) == bare.index("> earlier")
    assert quote_start("No quotes at all.\n") is None


def test_forwarded_header_block_names_the_original_sender() -> None:
    body = (
        b"Prosze zajac sie tym.\n\n---------- Forwarded message ---------\n"
        b"From: Jan Kowalski <jan@example.pl>\nDate: Mon, 2 Mar 2026\nSubject: Zwrot\n\nTekst\n"
    )
    raw = _plain(body, "utf-8")

    assert parse_message(raw).forwarded_from == ("Jan Kowalski", "jan@example.pl")


def test_html_only_mail_gets_a_text_version() -> None:
    raw = (
        b"From: a@example.pl\r\nSubject: html\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p{}</style></head><body><p>Dzie\xc5\x84 dobry</p>"
        b"<p>Drugi&nbsp;akapit</p></body></html>"
    )

    parsed = parse_message(raw)

    assert parsed.text == "Dzień dobry\n\nDrugi akapit"
