"""Raw RFC 5322 bytes → a `ParsedMessage`: decoded headers, text, HTML, attachments, and what
kind of robot (if any) sent it.

Never raises on bad data: unknown or wrong charsets fall back to detection, broken encodings
to the bytes that are there. Only input that is not an email at all raises `NotAnEmail`.
The standard library's `compat32` parser is used because it is tolerant and fast; headers are
decoded here (RFC 2047 encoded words, RFC 2231 parameters, raw 8-bit in any charset).
"""

import base64
import binascii
import codecs
import hashlib
import html
import mimetypes
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

# Names mail programs use that Python does not know, or knows under another meaning.
_CHARSET_ALIASES = {
    "unknown-8bit": "",
    "x-unknown": "",
    "unknown": "",
    "us-ascii": "utf-8",  # 8-bit bytes in "ascii" mail are nearly always UTF-8 or cp125x
    "ascii": "utf-8",
    "ansi_x3.4-1968": "utf-8",
    "iso-8859-8-i": "iso-8859-8",
    "ks_c_5601-1987": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "shift-jis": "cp932",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "iso-8859-1": "cp1252",  # mail labelled latin-1 is usually Windows-1252 (curly quotes)
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "utf8": "utf-8",
    "utf-7": "utf-7",
    "unicode-1-1-utf-7": "utf-7",
    "x-user-defined": "",
    "default": "",
    "charset": "",
    "windows-874": "cp874",
}
# Tried in order when the charset is missing or wrong; scored on how natural the text looks.
_GUESSES = ("cp1250", "iso-8859-2", "cp1252", "iso-8859-15", "cp1257", "koi8-r", "cp1251")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=")
_SPACE_BETWEEN_WORDS = re.compile(r"(\?=)\s+(=\?)")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MSGID = re.compile(r"<([^<>\s]+)>")
_BARE_MSGID = re.compile(r"^[^<>\s@]+@[^<>\s@]+$")

AUTO_REPLY = "auto_reply"
AUTO_GENERATED = "auto_generated"
BOUNCE = "bounce"
COMPLAINT = "complaint"
LIST = "list"
BULK = "bulk"

_BOUNCE_SENDERS = ("mailer-daemon", "postmaster", "post_master", "mail-daemon", "mailerdaemon")
_BOUNCE_SUBJECTS = re.compile(
    r"undeliver|undelivered|delivery (status|failure|has failed|notification)|"
    r"returned mail|failure notice|mail delivery|non.?delivery|delivery report|"
    r"could not be delivered|message not delivered|nicht zustellbar|unzustellbar|"
    r"niedostarczon|kézbesíthetetlen|non recapitabile|non remis|error sending|"
    r"メールエラー|送信エラー|配信エラー",
    re.IGNORECASE,
)
# Subjects of out-of-office and other automatic replies (en, pl, et, de), at the start of the
# subject, after any reply prefixes: a customer's "Pytanie o urlop" is not one.
_AUTO_REPLY_SUBJECTS = re.compile(
    r"^\s*((re|odp|vs|aw|sv|fw|fwd)\s*:\s*)*("
    r"auto(matic|matische)?[ -]?(reply|response|antwort)|autoreply|out of (the )?office|"
    r"away from (the )?office|on (vacation|holiday|leave)\b|vacation (reply|notice)|"
    r"(i am|i'm) (currently )?(out of (the )?office|on (vacation|holiday|leave)|away)\b|"
    r"abwesenheitsnotiz|"
    r"odpowied[źz] automatyczna|automatyczna odpowied[źz]|autoodpowied[źz]|nieobecno[śs][ćc]|"
    r"poza biurem|jestem na urlopie|"
    r"automaatvastus|automaatne vastus|puhkusel|kontorist eemal|olen eemal)",
    re.IGNORECASE,
)
_FORWARD_MARKER = re.compile(
    r"^[ \t>]*(-{2,}\s*(forwarded message|original message|wiadomość przekazana|"
    r"wiadomość oryginalna|edastatud kiri|algne kiri|weitergeleitete nachricht|"
    r"ursprüngliche nachricht)\s*-{2,}|begin forwarded message:)",
    re.IGNORECASE | re.MULTILINE,
)
_FORWARD_FROM = re.compile(
    r"^[ \t>*]*(from|od|von|saatja|kellelt|de)\s*:\s*\**\s*(.+?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Where quoted history starts in a text body.
_QUOTE_HEADER = re.compile(
    r"^[ \t]*(on .{3,200}wrote:|w dniu .{3,200}(pisze|napisał\w*):|"
    r".{3,200}(kirjutas|kirjutas\s+\S+):|am .{3,200}schrieb .{0,200}:|"
    r"-{3,}\s*(original message|wiadomość oryginalna|algne kiri|ursprüngliche nachricht)"
    r"\s*-{3,})[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^>", re.MULTILINE)
# Types a browser would run or render as a page; received files of these types are served as
# downloads only.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
    }
)


class NotAnEmail(ValueError):
    """The bytes have no header block at all."""


@dataclass
class ParsedAttachment:
    filename: str
    content: bytes
    content_type: str
    content_id: str = ""
    inline: bool = False


@dataclass
class ParsedMessage:
    message_id: str
    subject: str
    from_name: str
    from_addr: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    reply_to: str = ""
    date: datetime | None = None
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)
    text: str = ""
    html: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)
    auto: str = ""
    # Message-IDs of our own messages a bounce reports on.
    bounced_ids: list[str] = field(default_factory=list)
    # Case numbers a bounce's returned text names ("[#2026-000123]" in a quoted subject).
    bounced_numbers: list[str] = field(default_factory=list)
    bounce_reason: str = ""
    # (name, address) of the original sender when this is a forwarded message.
    forwarded_from: tuple[str, str] | None = None
    quote_start: int | None = None


# ----------------------------------------------------------------------------- charsets


def _codec(charset: str | None) -> str:
    """A Python codec name for a declared charset, or "" when unknown or meaningless."""
    if not charset:
        return ""
    name = charset.strip().strip("\"'").lower()
    name = _CHARSET_ALIASES.get(name, name)
    if not name:
        return ""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return ""


def _naturalness(text: str) -> int:
    """Higher for text made of letters and punctuation; controls and symbols cost points."""
    score = 0
    for char in text:
        if char.isascii():
            continue
        category = unicodedata.category(char)
        if category[0] == "L":
            score += 2
        elif category in {"Cc", "Co", "Cn", "So", "No", "Sk", "Sm"}:
            score -= 5
    return score


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text from bytes in the declared charset, or the likeliest one when that fails. Never
    raises; bytes no charset explains become U+FFFD."""
    if not data:
        return ""
    codec = _codec(charset)
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    if b"\x1b$" in data or b"\x1b(" in data:
        # ISO-2022-JP (Japanese) is 7-bit with escape sequences, often mislabelled.
        for jis in ("iso2022_jp_2004", "iso2022_jp_ext", "iso2022_jp_2"):
            try:
                return data.decode(jis)
            except UnicodeDecodeError:
                continue
        return data.decode("iso2022_jp_ext", errors="replace")
    if data.isascii():
        return data.decode("ascii")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best, best_score = "", None
    for guess in _GUESSES:
        try:
            candidate = data.decode(guess)
        except UnicodeDecodeError:
            continue
        score = _naturalness(candidate)
        if best_score is None or score > best_score:
            best, best_score = candidate, score
    if best_score is not None:
        return best
    return data.decode(codec or "utf-8", errors="replace")


def _raw_bytes(value: str) -> bytes:
    # The parser keeps undecodable 8-bit header bytes as surrogate escapes.
    return value.encode("utf-8", errors="surrogateescape")


def _decode_word(charset: str, encoding: str, text: str) -> str:
    charset = charset.split("*", 1)[0]  # RFC 2231 language suffix: =?utf-8*pl?Q?...?=
    try:
        if encoding in "bB":
            text = re.sub(r"[^A-Za-z0-9+/=]", "", text)
            data = base64.b64decode(text + "=" * (-len(text) % 4))
        else:
            data = binascii.a2b_qp(text.replace("_", " ").encode("ascii", "replace"), header=True)
    except (binascii.Error, ValueError):
        return text
    return decode_bytes(data, charset)


def _header_text(value: object, hint: str | None = None) -> str:
    """A header's text unfolded, raw 8-bit decoded, encoded words left as they are."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    text = value
    if not value.isascii():
        raw = _raw_bytes(value)
        try:
            # Valid UTF-8 is almost never another charset by accident; try it before the hint.
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = decode_bytes(raw, hint)
    return _FOLD.sub("", text)


def decode_header_value(value: object, hint: str | None = None) -> str:
    """A header's text: unfolded, encoded words decoded, raw 8-bit decoded (in `hint`, the
    message's body charset, when it fits). Never raises."""
    text = _header_text(value, hint)
    if "=?" in text:
        text = _SPACE_BETWEEN_WORDS.sub(r"\1\2", text)
        words: list[str] = []
        position = 0
        for match in _ENCODED_WORD.finditer(text):
            words.append(text[position : match.start()])
            words.append(_decode_word(*match.groups()))
            position = match.end()
        words.append(text[position:])
        text = "".join(words)
    text = text.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return "".join(char for char in text if char >= " " or char == "\t").strip()


def _raw_headers(message: Message, name: str) -> list[str]:
    # raw_items keeps 8-bit bytes (as surrogate escapes) that get() would turn into U+FFFD.
    name = name.lower()
    return [value for key, value in message.raw_items() if key.lower() == name]


def _hint(message: Message) -> str | None:
    for part in message.walk():
        charset = part.get_content_charset()
        if charset:
            return charset
    return None


def _header(message: Message, name: str, hint: str | None = None) -> str:
    values = _raw_headers(message, name)
    return decode_header_value(values[0], hint) if values else ""


_ADDR_SPEC = re.compile(
    r"^[^\s<>\"'(),;:@\[\]\\]+@[^\s<>\"'(),;:@\[\]\\]+\.[^\s<>\"'(),;:@\[\]\\.]+$"
)
_ANGLE_ADDR = re.compile(r"<([^<>]*)>")
_AT_SIGN = re.compile(r"@|\uff20|\ufe6b|%40", re.IGNORECASE)  # @, fullwidth and small @


def is_addr_spec(addr: str) -> bool:
    """Whether `addr` is one plain address: one @, a dotted domain, nothing to hide behind."""
    # A trailing dot is the DNS root ("x@example.com."), which some mailers write.
    return bool(_ADDR_SPEC.match(addr[:-1] if addr.endswith(".") else addr))


def _display(display: str, addr: str) -> str:
    """The decoded display name, or "" when it names another address ("alice@x <mallory@y>"
    must not show as Alice): a name is shown, never trusted, and never a second address."""
    name = decode_header_value(display).strip().strip("\"'").strip()
    return "" if _AT_SIGN.search(name) or "<" in name or ">" in name else name


def parse_mailboxes(value: str) -> list[tuple[str, str]]:
    """(display name, address) pairs of one header value (unfolded, encoded words still
    encoded).

    The address is parsed first and encoded words decoded after, so an address hidden in a
    display name or an encoded word is never taken for the sender's. When the header is
    malformed the angle-bracketed addr-spec wins; without one, a single bare address does;
    otherwise there is no usable address ("alice@x@y", two bare addresses)."""
    pairs = []
    for display, addr in getaddresses([value]):
        addr = addr.strip()
        if is_addr_spec(addr):
            pairs.append((_display(display, addr), addr))
    if pairs:
        return pairs
    # Broken headers ("Test test@example.com", unbalanced quotes, "alice@x <mallory@y>").
    angled = _ANGLE_ADDR.findall(value)
    if angled:
        addr = angled[-1].strip()
        if not is_addr_spec(addr):
            return []
        display = value[: value.rfind("<")].strip()
        return [(_display(display, addr), addr)]
    tokens = value.replace(",", " ").replace(";", " ").split()
    with_at = [token.strip("\"'()") for token in tokens if "@" in token]
    if len(with_at) != 1 or not is_addr_spec(with_at[0].rstrip(".")):
        return []
    addr = with_at[0].rstrip(".")
    display = value[: value.find(with_at[0])].strip(" \"'(")
    return [(_display(display, addr), addr)]


def _addresses(message: Message, name: str, hint: str | None = None) -> list[tuple[str, str]]:
    pairs = []
    for value in _raw_headers(message, name):
        pairs += parse_mailboxes(_header_text(value, hint))
    return pairs


def _message_ids(value: str) -> list[str]:
    found = [f"<{mid}>" for mid in _MSGID.findall(value)]
    if not found and _BARE_MSGID.match(value.strip()):
        found = [f"<{value.strip()}>"]
    return list(dict.fromkeys(found))


# ----------------------------------------------------------------------------- bodies


class _TextFromHtml(HTMLParser):
    _BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}
    )
    _SKIP = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(" ".join(data.split(" ")))


def text_from_html(markup: str) -> str:
    """Readable plain text of an HTML body (for search, previews and the text part)."""
    parser = _TextFromHtml()
    try:
        parser.feed(markup)
        parser.close()
    except (AssertionError, ValueError):
        return html.unescape(re.sub(r"<[^>]*>", " ", markup))
    lines = [
        " ".join(line.split()) for line in "".join(parser.parts).replace("\xa0", " ").split("\n")
    ]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def quote_start(text: str) -> int | None:
    """Offset in `text` where quoted history begins ("On … wrote:", "W dniu … pisze:", a block
    of "> " lines to the end), or None."""
    match = _QUOTE_HEADER.search(text)
    if match and match.start() > 0:
        return match.start()
    lines = text.split("\n")
    offset = len(text)
    start = None
    for line in reversed(lines):
        offset -= len(line)
        if line.startswith(">"):
            start = offset
        elif line.strip() and start is not None:
            break
        elif line.strip():
            return None
        offset -= 1
    if start is not None and start > 0:
        return start
    return None


def _part_text(part: Message) -> str:
    if part.is_multipart():
        # message/delivery-status is parsed as a list of header blocks.
        blocks = [block for block in part.get_payload() if isinstance(block, Message)]
        return "\n".join(block.as_string(policy=compat32) for block in blocks)
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        payload = _raw_bytes(raw) if isinstance(raw, str) else b""
    return decode_bytes(payload, part.get_content_charset())


def _filename(part: Message, hint: str | None = None) -> str:
    headers = [
        (key, value)
        for key, value in part.raw_items()
        if key.lower() in {"content-disposition", "content-type"}
    ]
    if any(not value.isascii() for _key, value in headers):
        # Raw 8-bit parameters (filename="Hofjägeralle.jpg" in UTF-8): decode the header
        # first, then read its parameters.
        decoded = Message()
        for key, value in headers:
            decoded[key] = decode_header_value(value, hint)
        part = decoded
    try:
        name = part.get_filename()
    except (ValueError, LookupError, TypeError):
        name = None
    if not name:
        try:
            raw_name = part.get_param("name")
        except (ValueError, LookupError, TypeError):
            raw_name = None
        if isinstance(raw_name, tuple):
            name = decode_bytes(
                (raw_name[2] or "").encode("latin-1", "replace"), raw_name[0] or "utf-8"
            )
        elif isinstance(raw_name, str):
            name = raw_name
    return decode_header_value(name, part.get_content_charset() or hint) if name else ""


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except (ValueError, LookupError, TypeError):
        return "application/octet-stream"


def _default_name(content_type: str, index: int, stem: str = "attachment") -> str:
    extension = mimetypes.guess_extension(content_type) or ".bin"
    return f"{stem}-{index}{extension}"


@dataclass
class _Collector:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    reports: list[Message] = field(default_factory=list)
    embedded: list[Message] = field(default_factory=list)
    hint: str | None = None


def _walk(part: Message, found: _Collector, *, in_alternative: bool = False) -> None:
    content_type = _content_type(part)
    if content_type == "message/delivery-status":
        found.reports.append(part)
        found.attachments.append(
            ParsedAttachment(
                filename=_filename(part, found.hint) or "delivery-status.txt",
                content=_part_text(part).encode(),
                content_type=content_type,
            )
        )
        return
    if part.is_multipart():
        children = [child for child in part.get_payload() if isinstance(child, Message)]
        if content_type == "multipart/alternative":
            # Take the plain and the richest HTML alternative, once each.
            plain = [c for c in children if _content_type(c) == "text/plain"]
            rich = [c for c in children if _content_type(c) != "text/plain"]
            before = len(found.htmls)
            for child in rich:
                if len(found.htmls) > before and _content_type(child) == "text/html":
                    continue
                _walk(child, found, in_alternative=True)
            texts_before = len(found.texts)
            for child in plain:
                if len(found.texts) == texts_before:
                    _walk(child, found, in_alternative=True)
            return
        if content_type == "message/rfc822":
            for child in children:
                found.embedded.append(child)
                data = child.as_bytes(policy=compat32)
                subject = _header(child, "Subject") or "message"
                found.attachments.append(
                    ParsedAttachment(
                        filename=_filename(part, found.hint) or f"{subject[:80]}.eml",
                        content=data,
                        content_type="message/rfc822",
                    )
                )
            return
        for child in children:
            _walk(child, found, in_alternative=in_alternative)
        return
    disposition = (part.get_content_disposition() or "").lower()
    filename = _filename(part, found.hint)
    content_id = decode_header_value(part.get("Content-ID", "")).strip().strip("<>")
    if content_type in {
        "message/delivery-status",
        "text/rfc822-headers",
        "message/feedback-report",
    }:
        found.reports.append(part)
    is_body = (
        content_type in {"text/plain", "text/html"} and disposition != "attachment" and not filename
    )
    if is_body:
        text = _part_text(part)
        if content_type == "text/html":
            found.htmls.append(text)
        else:
            found.texts.append(text)
        return
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raw = part.get_payload()
        payload = _raw_bytes(raw) if isinstance(raw, str) else b""
    if content_type in {"message/delivery-status", "text/rfc822-headers"} and not filename:
        filename = "delivery-status.txt" if "delivery" in content_type else "headers.txt"
    found.attachments.append(
        ParsedAttachment(
            filename=filename or _default_name(content_type, len(found.attachments) + 1),
            content=payload,
            content_type=content_type,
            content_id=content_id,
            inline=bool(content_id) and disposition != "attachment",
        )
    )


# ----------------------------------------------------------------------------- robots


def _automatic_kind(message: Message, from_addr: str, subject: str, found: _Collector) -> str:
    content_type = _content_type(message)
    report_type = str(message.get_param("report-type", "") or "").lower()
    part_types = {_content_type(part) for part in found.reports}
    if report_type == "feedback-report" or "message/feedback-report" in part_types:
        return COMPLAINT
    if (
        content_type == "multipart/report" and report_type in {"delivery-status", ""}
    ) or "message/delivery-status" in part_types:
        return BOUNCE
    local = (from_addr.rpartition("@")[0] or _header(message, "From")).lower()
    null_sender = _header(message, "Return-Path").replace(" ", "") == "<>"
    if local.startswith(_BOUNCE_SENDERS) or (
        _BOUNCE_SUBJECTS.search(subject)
        and (message.get("X-Failed-Recipients") or not from_addr or null_sender or found.embedded)
    ):
        return BOUNCE
    if message.get("X-Failed-Recipients"):
        return BOUNCE
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted.startswith("auto-replied"):
        return AUTO_REPLY
    if message.get("X-Autoreply") or message.get("X-Autorespond") or message.get("X-Autoresponse"):
        return AUTO_REPLY
    if _header(message, "X-Auto-Response-Suppress").lower() in {"all", "oof"} and (
        _AUTO_REPLY_SUBJECTS.search(subject)
    ):
        return AUTO_REPLY
    if auto_submitted and auto_submitted != "no":
        return AUTO_GENERATED
    precedence = _header(message, "Precedence").lower()
    if precedence == "auto_reply":
        return AUTO_REPLY
    if precedence == "list" or message.get("List-Id") or message.get("List-Unsubscribe"):
        return LIST
    if precedence in {"bulk", "junk"}:
        return BULK
    if _AUTO_REPLY_SUBJECTS.search(subject):
        return AUTO_REPLY
    return_path = _header(message, "Return-Path")
    if return_path.replace(" ", "") == "<>":
        return AUTO_GENERATED
    return ""


# A Message-ID line of a returned message, quoted ("> Message-ID:") or indented as well.
_ID_LINE = re.compile(r"^[ \t>|]*message-id:[ \t]*(<[^<>\s]+>)", re.IGNORECASE | re.MULTILINE)
# Our own Message-IDs anywhere in a bounce's text, and case tags in its quoted subject.
_OUR_ID = re.compile(r"<opiekun\.[^<>\s]{1,200}@[^<>\s]{1,200}>", re.IGNORECASE)
CASE_TAG = re.compile(r"\[#(\d{4}-\d{6,10})\]")
_STATUS_LINE = re.compile(r"^(diagnostic-code|status)\s*:\s*(.+)$", re.IGNORECASE | re.MULTILINE)


def _bounce_details(found: _Collector, text: str) -> tuple[list[str], str]:
    ids: list[str] = []
    for embedded in found.embedded:
        ids += _message_ids(_header(embedded, "Message-ID"))
    reason_lines: list[str] = []
    for report in found.reports:
        body = _part_text(report)
        ids += _ID_LINE.findall(body)
        reason_lines += [f"{name}: {value.strip()}" for name, value in _STATUS_LINE.findall(body)]
    ids += _ID_LINE.findall(text)
    ids += _OUR_ID.findall(text)
    return list(dict.fromkeys(ids)), "\n".join(dict.fromkeys(reason_lines))[:2000]


def _forwarded_sender(found: _Collector, text: str) -> tuple[str, str] | None:
    for embedded in found.embedded:
        pairs = _addresses(embedded, "From")
        if pairs:
            return pairs[0]
    marker = _FORWARD_MARKER.search(text)
    if marker is None:
        return None
    sender = _FORWARD_FROM.search(text, marker.end())
    if sender is None:
        return None
    # Outlook writes "Name [mailto:addr]"; the same address rules as a From header apply.
    pairs = parse_mailboxes(sender.group(2).replace("[mailto:", "<").replace("]", ">"))
    return pairs[0] if pairs else None


# ----------------------------------------------------------------------------- the message


_HEADER_LINE = re.compile(rb"^[!-9;-~]+[ \t]*:", re.MULTILINE)


def _skip_preamble(raw: bytes) -> bytes:
    """Drop a few leading lines that are not headers ("---- Original email message ----"),
    which some systems put above a message they pass on."""
    raw = raw.lstrip(b"\r\n")
    for _attempt in range(3):
        if raw.startswith(b"From ") or _HEADER_LINE.match(raw):
            return raw
        line_end = raw.find(b"\n")
        if line_end < 0:
            return raw
        raw = raw[line_end + 1 :]
    return raw


# What identifies a message whatever route it took: headers its author's program wrote, and
# the body. Trace headers (Received, Return-Path, Delivered-To, DKIM and ARC seals, spam
# scores) are added on the way, so two copies of one message differ in them.
_IDENTITY_HEADERS = (
    "from", "sender", "to", "cc", "date", "subject", "message-id", "in-reply-to",
    "references", "content-type", "content-transfer-encoding",
)  # fmt: skip


def first_message_id(value: str) -> str:
    """The Message-ID in a Message-ID header's value, as the parser reads it, or ""."""
    return (_message_ids(decode_header_value(value)) or [""])[0][:255]


def message_identity(raw: bytes) -> tuple[str, str]:
    """(Message-ID, SHA-256 of what the author wrote) of a raw message, read as
    `parse_message` reads them (a folded Message-ID header too). The digest covers
    From, To, Cc, Date, Subject, the ids and the body, never trace headers, so a copy that
    arrives by another route (one more Received: line) has the same identity. `raw` may be
    just the head of a message. Never raises."""
    try:
        raw = _skip_preamble(raw)
        head = BytesHeaderParser(policy=compat32).parsebytes(raw)
        body = head.get_payload()
        body_bytes = _raw_bytes(body) if isinstance(body, str) else b""
        digest = hashlib.sha256()
        for name in _IDENTITY_HEADERS:
            for value in _raw_headers(head, name):
                digest.update(
                    f"{name}:{' '.join(_FOLD.sub('', value).split())}\n".encode(
                        "utf-8", "surrogateescape"
                    )
                )
        # Line ends and trailing blank lines change in transport; the text does not.
        digest.update(b"\n" + body_bytes.replace(b"\r\n", b"\n").rstrip())
        values = _raw_headers(head, "message-id")
        return (first_message_id(values[0]) if values else ""), digest.hexdigest()
    except Exception:  # Storing the raw message must never fail on its contents.
        return "", hashlib.sha256(raw).hexdigest()


def derived_message_id(digest: str) -> str:
    """A Message-ID for a message that has none, the same for every copy of it."""
    return f"<derived.{digest[:32]}@opiekun.invalid>"


def parse_message(raw: bytes) -> ParsedMessage:
    """Everything the inbound channel needs from one raw message. Raises only NotAnEmail."""
    raw = _skip_preamble(raw)
    if not raw.strip() or not _HEADER_LINE.search(raw[:65536]):
        raise NotAnEmail("the data has no email header block")
    message = message_from_bytes(raw, policy=compat32)
    hint = _hint(message)
    found = _Collector(hint=hint)
    _walk(message, found)
    senders = _addresses(message, "From", hint)
    if len(senders) != 1:
        # Several authors (RFC 5322: then Sender says who sent it), or none usable.
        senders = _addresses(message, "Sender", hint) or senders
    from_name, from_addr = senders[0] if senders else ("", "")
    if not from_addr:
        return_path = _message_ids(_header(message, "Return-Path"))
        from_addr = return_path[0].strip("<>") if return_path else ""
    if not from_name and not from_addr:
        from_name = _header(message, "From", hint)
    subject = _header(message, "Subject", hint)
    text = "\n\n".join(part for part in found.texts if part.strip())
    html_body = "\n".join(found.htmls)
    if not text.strip() and html_body:
        text = text_from_html(html_body)
    # NUL never belongs in text, and PostgreSQL refuses it.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    html_body = html_body.replace("\x00", "")
    date: datetime | None
    try:
        date = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError, OverflowError):
        date = None
    if date is not None and date.tzinfo is None:
        date = None
    auto = _automatic_kind(message, from_addr, subject, found)
    bounced_ids, reason = _bounce_details(found, text) if auto == BOUNCE else ([], "")
    reply_to = _addresses(message, "Reply-To")
    parsed = ParsedMessage(
        message_id=first_message_id(values[0])
        if (values := _raw_headers(message, "Message-ID"))
        else "",
        subject=subject,
        from_name=from_name,
        from_addr=from_addr,
        to=[addr for _name, addr in _addresses(message, "To")],
        cc=[addr for _name, addr in _addresses(message, "Cc")],
        reply_to=reply_to[0][1] if reply_to else "",
        date=date,
        in_reply_to=_message_ids(_header(message, "In-Reply-To")),
        references=_message_ids(_header(message, "References")),
        delivered_to=[
            addr
            for header in ("Delivered-To", "X-Original-To", "Envelope-To")
            for _name, addr in _addresses(message, header)
        ],
        text=text,
        html=html_body,
        attachments=found.attachments,
        auto=auto,
        bounced_ids=bounced_ids,
        bounced_numbers=list(dict.fromkeys(CASE_TAG.findall(text))) if auto == BOUNCE else [],
        bounce_reason=reason,
        quote_start=quote_start(text),
    )
    if not auto:
        parsed.forwarded_from = _forwarded_sender(found, text)
    return parsed
