"""Encryption of webhook URLs at rest, with keys of their own (CHAT_ENCRYPTION_KEYS, not
derived from SECRET_KEY). The first key encrypts; every key decrypts, so a new key is put
first, `manage.py rotate_chat_keys` re-encrypts the rows, then the old key is dropped."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "configured", "decrypt", "encrypt", "rotate"]


def configured() -> bool:
    return bool(settings.CHAT_ENCRYPTION_KEYS)


def _fernet() -> MultiFernet:
    keys = settings.CHAT_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("CHAT_ENCRYPTION_KEYS is not set: chat channels are off.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "CHAT_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)."
        ) from exc


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """The same secret under the first (newest) key."""
    return _fernet().rotate(token.encode()).decode()
