"""Outgoing email that is not a message on a case: sign-in links, alerts and reminders to staff.

One call sends one message::

    send_email("mailbox_failing", to=admin.email, language=admin.language, context={...})

Each message has a name and three templates, `emails/<name>_subject.txt`, `<name>_body.txt`
and `<name>_body.html` (HTML bodies extend `emails/base.html`), rendered at once in the
recipient's language. The rendered message goes to the `send_email_message` task after
commit: a rolled-back transaction sends nothing, and a slow or absent SMTP server never holds
up a request. A failure that may heal (refused connection, timeout, 4xx) is retried with
backoff; a permanent one (5xx, unusable address) or the last is logged.

The retry policy is the one case replies follow (channels/email/outbound.py). It lives here
as well because `core` sits below every app and imports none of them (docs/architecture.md);
outbound.py may import it from here.

Delivery is at least once, as far as SMTP allows: an attempt whose worker dies after the
server took the message, or that times out waiting for its "250", is sent again on retry.

Task arguments are stored in the database in plain text. A message that carries a secret (a
sign-in link) must not go through `send_email`: its own task takes an id, rebuilds the secret,
and sends with `render_email` and `deliver_email` (see `send_sign_in_link` in
portal/tasks.py).

Messages on a case's timeline (replies, acknowledgements, status emails) are not sent here:
they are interactions, delivered by the email channel (channels/email/outbound.py).
"""

import logging
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.tasks import Task
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# Wait before the 2nd, 3rd, … attempt; after the last delay's attempt fails, retrying stops.
RETRY_DELAYS = tuple(
    timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 180, 360)
)  # fmt: skip
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1

SENT = "sent"
RETRY = "retry"
FAILED = "failed"
SKIPPED = "skipped"

# RFC 3834: robots must not answer these; Exchange: no out-of-office replies either.
HEADERS = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


@dataclass(frozen=True)
class Email:
    name: str
    to: str
    subject: str
    text: str
    html: str


def render_email(name: str, *, to: str, language: str, context: Mapping[str, Any]) -> Email:
    """The message `name` for `to`, rendered from its three templates in `language`."""
    language = language or settings.LANGUAGE_CODE
    context = {**context, "language": language}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        text = render_to_string(f"emails/{name}_body.txt", context).strip() + "\n"
        html = render_to_string(f"emails/{name}_body.html", context)
    return Email(name=name, to=to, subject=subject, text=text, html=html)


def send_email(name: str, *, to: str, language: str, context: Mapping[str, Any]) -> None:
    """Render the message `name` now and send it from the task queue after commit.

    The rendered subject and bodies are stored with the task, so `context` must hold no
    secret (see the module docstring).
    """
    if not to:
        raise ValueError(f"No address to send {name!r} to")
    email = render_email(name, to=to, language=language, context=context)
    transaction.on_commit(lambda: _enqueue(email))


def _enqueue(email: Email) -> None:
    # Imported here: tasks.py imports this module.
    from opiekun.core.tasks import send_email_message

    send_email_message.enqueue(email.name, email.to, email.subject, email.text, email.html)


def build_message(email: Email) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=HEADERS,
    )
    message.attach_alternative(email.html, "text/html")
    return message


def deliver_email(
    email: Email, *, attempt: int, retry: Task[..., Any], args: Sequence[Any] = ()
) -> str:
    """Hand `email` to the default mailer: one attempt, called by a task.

    On a failure that may heal, enqueue `retry(*args, attempt=attempt + 1)` after the backoff
    delay (when the task backend can defer); a permanent failure, or one after MAX_ATTEMPTS,
    is logged without the message's content. Returns "sent", "retry" or "failed".
    """
    try:
        mailers["default"].send_messages([build_message(email)])
    except (smtplib.SMTPException, OSError, ValueError) as error:
        reason = describe(error)
        if is_permanent(error) or attempt >= MAX_ATTEMPTS:
            logger.error(
                "Email %s to %s failed (attempt %s of %s), not retried: %s",
                email.name, email.to, attempt, MAX_ATTEMPTS, reason,
            )  # fmt: skip
            return FAILED
        if not retry.get_backend().supports_defer:
            logger.error(
                "Email %s to %s failed and the task backend cannot defer a retry: %s",
                email.name, email.to, reason,
            )  # fmt: skip
            return FAILED
        run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
        retry.using(run_after=run_after).enqueue(*args, attempt=attempt + 1)
        logger.warning(
            "Email %s to %s failed (attempt %s of %s), retrying at %s: %s",
            email.name, email.to, attempt, MAX_ATTEMPTS, run_after.isoformat(), reason,
        )  # fmt: skip
        return RETRY
    return SENT


def smtp_code(error: BaseException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _reply in error.recipients.values()]
        return max(codes) if codes else None
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code
    return None


def is_permanent(error: BaseException) -> bool:
    """5xx replies and unusable addresses will fail again; refused connections, timeouts and
    4xx replies may not."""
    code = smtp_code(error)
    return isinstance(error, ValueError) or (code is not None and 500 <= code < 600)


def describe(error: BaseException) -> str:
    """The SMTP server's answer, or the error's text, for a log line."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {reply.decode(errors='replace')}"
            for address, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        text = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        return f"{error.smtp_code} {text}"
    return str(error) or type(error).__name__
