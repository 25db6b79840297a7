"""A private Dovecot IMAP server for tests: 127.0.0.1, free ports, a temporary maildir and
config, passwd-file users, plain IMAP (plaintext sign-in allowed) and IMAPS/STARTTLS with a
self-signed certificate made by openssl, and XOAUTH2/OAUTHBEARER sign-in checked against a
token introspection endpoint served here (`OAUTH_TOKEN` is the one access token it accepts, as
Microsoft's or Google's would after a refresh). Needs /usr/sbin/dovecot; nothing outside the
temporary directory is touched."""

import imaplib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
USER = "support@example.com"
PASSWORD = "imap-secret-1"
OAUTH_TOKEN = "access-1"


Fields = dict[str, list[str]]


def json_endpoint(answer: Callable[[Fields], tuple[int, object]]) -> type[BaseHTTPRequestHandler]:
    """An HTTP handler: a form POST in, JSON out, `answer` giving status and body."""

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"] or 0)
            status, body = answer(parse_qs(self.rfile.read(length).decode()))
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Endpoint


def _introspect(fields: Fields) -> tuple[int, object]:
    """RFC 7662 token introspection, as Dovecot's oauth2 passdb asks it (form POST)."""
    if fields.get("token") == [OAUTH_TOKEN]:
        return 200, {"active": True, "username": USER}
    return 200, {"active": False}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Dovecot:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="opiekun-dovecot-"))
        self.port = free_port()
        self.tls_port = free_port()
        self.cert = self.root / "cert.pem"
        self.key = self.root / "key.pem"
        self.pid_file = self.root / "run" / "master.pid"

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> "Dovecot":
        self.introspection = ThreadingHTTPServer(("127.0.0.1", 0), json_endpoint(_introspect))
        threading.Thread(target=self.introspection.serve_forever, daemon=True).start()
        introspection_url = f"http://127.0.0.1:{self.introspection.server_address[1]}/introspect"
        os.chmod(self.root, 0o755)  # noqa: S103 - login processes run as another user
        (self.root / "run").mkdir()
        (self.root / "mail").mkdir()
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                OPENSSL,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                str(self.key),
                "-out",
                str(self.cert),
            ],
            check=True,
            capture_output=True,
        )
        if os.getuid() == 0:
            mail_user = pwd.getpwnam("dovecot")
            internal, login = "dovecot", "dovenull"
        else:
            mail_user = pwd.getpwuid(os.getuid())
            internal = login = mail_user.pw_name
        for path in (self.root / "mail",):
            os.chown(path, mail_user.pw_uid, mail_user.pw_gid)
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        (self.root / "oauth2.conf.ext").write_text(
            "introspection_mode = post\n"
            f"introspection_url = {introspection_url}\n"
            "username_attribute = username\n"
            "active_attribute = active\n"
            "active_value = true\n"
        )
        config = f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{self.cert}
ssl_key = <{self.key}
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2 oauthbearer
mail_location = maildir:{self.root}/mail/%u
first_valid_uid = {mail_user.pw_uid}
first_valid_gid = {mail_user.pw_gid}
default_internal_user = {internal}
default_internal_group = {internal}
default_login_user = {login}
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {self.root}/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid={mail_user.pw_uid} gid={mail_user.pw_gid} home={self.root}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  inet_listener http {{
    port = 0
  }}
}}
"""
        (self.root / "dovecot.conf").write_text(config)
        (self.root / "state").mkdir()
        # The daemon keeps inherited pipes open, so its output goes to a file, not a pipe.
        with (self.root / "start.log").open("wb") as output:
            subprocess.run(  # noqa: S603 - fixed arguments
                [DOVECOT, "-c", str(self.root / "dovecot.conf")],
                check=True,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"Dovecot did not start: {self.log()}")

    def stop(self) -> None:
        self.introspection.shutdown()
        self.introspection.server_close()
        if self.pid_file.exists():
            pid = int(self.pid_file.read_text().split()[0])
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and self.pid_file.exists():
                time.sleep(0.05)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    # ------------------------------------------------------------------ mail

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port)
        client.login(USER, PASSWORD)
        return client

    def append(self, *messages: bytes, folder: str = "INBOX") -> None:
        client = self.client()
        try:
            for raw in messages:
                client.append(folder, "", None, raw)
        finally:
            client.logout()

    def empty(self, folder: str = "INBOX") -> None:
        client = self.client()
        try:
            client.select(folder)
            client.store("1:*", "+FLAGS.SILENT", "(\\Deleted)")
            client.expunge()
        except imaplib.IMAP4.error:
            pass
        finally:
            client.logout()

    def unseen_count(self, folder: str = "INBOX") -> int:
        client = self.client()
        try:
            client.select(folder, readonly=True)
            _status, data = client.search(None, "UNSEEN")
            return len(data[0].split()) if data and data[0] else 0
        finally:
            client.logout()
