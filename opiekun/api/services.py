"""Personal API tokens: issuing, revoking and noting their use."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from opiekun.accounts.models import ApiToken, User

TOKEN_PREFIX = "opk_"  # noqa: S105 (a public marker, not a secret)
# Enough of the token to recognise it in a list ("opk_AbCd1234…"), far too little to use it.
SHOWN_PREFIX_LENGTH = 12
# last_used_at is kept to the minute: a busy integration must not write on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


@transaction.atomic
def issue_token(user: User, *, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for `user` and return it with the raw secret, which is never stored
    and cannot be shown again: only its SHA-256 is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:SHOWN_PREFIX_LENGTH],
        digest=ApiToken.digest_of(raw),
    )
    return token, raw


def revoke_token(token: ApiToken) -> ApiToken:
    """Refuse the token from now on; the row stays as a record of who had access."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def note_token_used(token: ApiToken) -> None:
    """Stamp last_used_at, at most once a minute per token."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
