"""IMAP: connecting (TLS, STARTTLS), signing in (password or OAuth 2.0 XOAUTH2), and fetching.

Messages are searched UNSEEN and fetched with BODY.PEEK[] (which leaves them unseen); the
poller marks each one \\Seen only after the database has committed it, so a crash at any
point means the message is fetched again, never lost.
"""

import contextlib
import imaplib
import json
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from opiekun.channels.email.crypto import decrypt_secret
from opiekun.channels.email.limits import PIECE, Spooled, spool
from opiekun.channels.email.models import Mailbox

TIMEOUT = 60
TOKEN_URLS = {
    Mailbox.Auth.MICROSOFT: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    Mailbox.Auth.GOOGLE: "https://oauth2.googleapis.com/token",
}
SCOPES = {
    Mailbox.Auth.MICROSOFT: "https://outlook.office.com/IMAP.AccessAsUser.All offline_access",
    Mailbox.Auth.GOOGLE: "https://mail.google.com/",
}
_UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")
_FETCHED_UID = re.compile(rb"UID (\d+)")
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")
# UIDs per FETCH of sizes (a command line stays short).
SIZES_PER_COMMAND = 200


class MailboxError(Exception):
    """Reading the mailbox failed; `credentials` is True when signing in was refused."""

    def __init__(self, message: str, *, credentials: bool = False) -> None:
        super().__init__(message)
        self.credentials = credentials


@dataclass(frozen=True)
class FetchedMessage:
    uid: str  # "<uidvalidity>:<uid>", unique for the mailbox folder
    raw: bytes
    imap_uid: bytes
    # A message over the size limit is read in pieces to a file instead (limits.spool).
    spooled: Spooled | None = None


def xoauth2_string(user: str, access_token: str) -> bytes:
    """The SASL XOAUTH2 initial response (before base64, which imaplib adds)."""
    return f"user={user}\x01auth=Bearer {access_token}\x01\x01".encode()


def refresh_access_token(
    *, token_url: str, client_id: str, client_secret: str, refresh_token: str, scope: str = ""
) -> tuple[str, str]:
    """POST the refresh-token grant; return (access token, new refresh token or "")."""
    fields = {
        "grant_type": "refresh_token",
        "client_id": client_id,
        "refresh_token": refresh_token,
    }
    if client_secret:
        fields["client_secret"] = client_secret
    if scope:
        fields["scope"] = scope
    request = Request(  # noqa: S310 - the URL is the admin-configured https token endpoint
        token_url,
        data=urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - see above
            body = json.loads(response.read().decode("utf-8"))
    except HTTPError as error:
        detail = error.read().decode("utf-8", "replace")[:500]
        # 400 invalid_grant / 401: the refresh token was revoked or expired.
        raise MailboxError(
            f"Token refresh refused ({error.code}): {detail}", credentials=error.code in {400, 401}
        ) from error
    except (URLError, OSError, ValueError) as error:
        raise MailboxError(f"Token endpoint unreachable: {error}") from error
    token = body.get("access_token") if isinstance(body, dict) else None
    if not token:
        raise MailboxError(f"Token endpoint answered without an access token: {body!r:.300}")
    return str(token), str(body.get("refresh_token") or "")


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    context = ssl.create_default_context()
    try:
        if mailbox.security == Mailbox.Security.TLS:
            return imaplib.IMAP4_SSL(
                mailbox.host, mailbox.port, ssl_context=context, timeout=TIMEOUT
            )
        client = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=TIMEOUT)
        if mailbox.security == Mailbox.Security.STARTTLS:
            client.starttls(ssl_context=context)
        return client
    except (OSError, imaplib.IMAP4.error, ssl.SSLError) as error:
        raise MailboxError(f"Cannot connect to {mailbox.host}:{mailbox.port}: {error}") from error


def access_token_for(mailbox: Mailbox) -> tuple[str, str]:
    """A fresh access token for an OAuth mailbox: (token, rotated refresh token or "")."""
    return refresh_access_token(
        token_url=mailbox.token_url or TOKEN_URLS[Mailbox.Auth(mailbox.auth)],
        client_id=mailbox.client_id,
        client_secret=decrypt_secret(mailbox.client_secret_encrypted),
        refresh_token=decrypt_secret(mailbox.refresh_token_encrypted),
        scope=SCOPES.get(Mailbox.Auth(mailbox.auth), ""),
    )


class Connection:
    """One signed-in IMAP session on the mailbox's folder."""

    def __init__(self, mailbox: Mailbox, *, access_token: str = "") -> None:
        self.mailbox = mailbox
        self.client = _connect(mailbox)
        try:
            if mailbox.auth == Mailbox.Auth.PASSWORD:
                self.client.login(mailbox.username, decrypt_secret(mailbox.password_encrypted))
            else:
                token = xoauth2_string(mailbox.username, access_token)
                self.client.authenticate("XOAUTH2", lambda _challenge: token)
        except imaplib.IMAP4.error as error:
            self.close()
            raise MailboxError(f"Sign-in refused: {error}", credentials=True) from error
        except OSError as error:
            self.close()
            raise MailboxError(f"Connection lost while signing in: {error}") from error
        status, data = self.client.select(_quote(mailbox.folder))
        if status != "OK":
            self.close()
            raise MailboxError(f"Cannot open folder {mailbox.folder!r}: {data!r}")
        self.uidvalidity = self._uidvalidity()

    def _uidvalidity(self) -> str:
        _status, data = self.client.response("UIDVALIDITY")
        if data and data[0]:
            return data[0].decode() if isinstance(data[0], bytes) else str(data[0])
        _status, data = self.client.status(_quote(self.mailbox.folder), "(UIDVALIDITY)")
        match = _UIDVALIDITY.search(data[0] or b"") if data else None
        return match.group(1).decode() if match else "0"

    def unseen(self) -> list[bytes]:
        status, data = self.client.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise MailboxError(f"SEARCH failed: {data!r}")
        return data[0].split() if data and data[0] else []

    def sizes(self, uids: list[bytes]) -> dict[bytes, int]:
        """RFC822.SIZE of each message, read before its body (a message gone since the
        SEARCH is left out)."""
        sizes: dict[bytes, int] = {}
        for start in range(0, len(uids), SIZES_PER_COMMAND):
            wanted = b",".join(uids[start : start + SIZES_PER_COMMAND]).decode()
            status, data = self.client.uid("FETCH", wanted, "(UID RFC822.SIZE)")
            if status != "OK":
                raise MailboxError(f"FETCH sizes failed: {data!r}")
            for item in data:
                line = item[0] if isinstance(item, tuple) else item
                if not isinstance(line, bytes):
                    continue
                uid, size = _FETCHED_UID.search(line), _SIZE.search(line)
                if uid and size:
                    sizes[uid.group(1)] = int(size.group(1))
        return sizes

    def _body(self, uid: bytes, section: str = "BODY.PEEK[]") -> bytes | None:
        status, data = self.client.uid("FETCH", uid.decode(), f"(UID {section})")
        if status != "OK":
            raise MailboxError(f"FETCH {uid!r} failed: {data!r}")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2:
                return bytes(item[1] or b"")
        return None

    def fetch(
        self, uids: list[bytes], *, sizes: dict[bytes, int], max_bytes: int
    ) -> Iterator[FetchedMessage]:
        """Each message received in full; one over `max_bytes` spooled to a file in pieces.
        A message whose body comes back shorter than its RFC822.SIZE (some servers answer
        an empty body under load) is not yielded but listed in `self.incomplete`: it stays
        unseen and is tried again at the next poll."""
        self.incomplete: list[bytes] = []
        for uid in uids:
            size = sizes.get(uid)
            if size is None:
                continue  # expunged since the SEARCH
            name = f"{self.uidvalidity}:{uid.decode()}"
            if size > max_bytes:
                spooled = self._spool(uid, size)
                if spooled is None:
                    self.incomplete.append(uid)
                    continue
                yield FetchedMessage(uid=name, raw=b"", imap_uid=uid, spooled=spooled)
                continue
            raw = self._body(uid)
            if raw is None or len(raw) < size or (size and not raw):
                # Once more: a server whose RFC822.SIZE is only an estimate gives the same
                # bytes twice; a body cut short by a fault rarely is cut the same way.
                again = self._body(uid)
                if raw is None or not raw or again != raw:
                    self.incomplete.append(uid)
                    continue
            yield FetchedMessage(uid=name, raw=raw, imap_uid=uid)

    def _spool(self, uid: bytes, size: int) -> Spooled | None:
        """The message in pieces (BODY.PEEK[]<offset.length>) to a file; None when the server
        gave fewer bytes than RFC822.SIZE."""

        def pieces() -> Iterator[bytes]:
            offset = 0
            while offset < size:
                piece = self._body(uid, f"BODY.PEEK[]<{offset}.{PIECE}>")
                if not piece:
                    return
                offset += len(piece)
                yield piece

        spooled = spool(pieces())
        if spooled.size < size:
            spooled.discard()
            return None
        return spooled

    def mark_seen(self, uid: bytes) -> None:
        status, data = self.client.uid("STORE", uid.decode(), "+FLAGS.SILENT", "(\\Seen)")
        if status != "OK":
            raise MailboxError(f"STORE {uid!r} failed: {data!r}")

    def close(self) -> None:
        with contextlib.suppress(OSError, imaplib.IMAP4.error, socket.error):
            self.client.logout()


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'
