"""Encryption of identity-provider client secrets at rest, with keys of their own
(SSO_ENCRYPTION_KEYS, never SECRET_KEY). The first key encrypts; every key decrypts, so a new
key is put first, the rows re-encrypted (``rotate``), then the old key dropped."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "configured", "decrypt", "encrypt", "rotate"]


def configured() -> bool:
    return bool(settings.SSO_ENCRYPTION_KEYS)


def _fernet() -> MultiFernet:
    keys = settings.SSO_ENCRYPTION_KEYS
    if not keys:
        raise ImproperlyConfigured("SSO_ENCRYPTION_KEYS is not set: single sign-on is off.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "SSO_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes)."
        ) from exc


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    return _fernet().rotate(token.encode()).decode()
