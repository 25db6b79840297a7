"""Reading API tokens."""

from opiekun.accounts.models import ApiToken, User


def user_for_token(raw: str) -> tuple[User, ApiToken] | None:
    """The active user a live token belongs to, or None for an unknown, revoked token or an
    inactive user. Tokens are found by their SHA-256, never compared as text."""
    if not raw:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    return token.user, token
