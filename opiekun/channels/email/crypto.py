"""Mailbox secrets (passwords, OAuth client secrets and refresh tokens) encrypted at rest.

Fernet (AES-128-CBC + HMAC-SHA256) with a key derived from SECRET_KEY by HKDF-SHA256, so the
database alone never reveals a mailbox password. Rotating SECRET_KEY means entering the
secrets again.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_INFO = b"opiekun.email.mailbox-secrets"


class SecretUnreadable(ValueError):
    """The stored secret was encrypted under another SECRET_KEY or is damaged."""


def _fernet() -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt_secret(value: str) -> str:
    """The encrypted token for `value`; "" stays "" (no secret set)."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt_secret(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, ValueError) as error:
        raise SecretUnreadable(str(error) or "invalid token") from error
