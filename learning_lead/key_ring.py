"""Secrets encrypted at rest with keys of their own, never derived from SECRET_KEY (chat
webhook addresses, identity-provider client secrets). A setting lists Fernet keys: the first
encrypts, every one decrypts, so a new key is put first, the rows re-encrypted with `rotate`,
then the old key dropped."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "KeyRing"]


class KeyRing:
    """The keys in `settings.<setting>`, read at each use (tests override them)."""

    def __init__(self, setting: str, *, off: str):
        self.setting = setting
        self.off = off  # what is switched off without keys, for the error

    def configured(self) -> bool:
        return bool(getattr(settings, self.setting))

    def _fernet(self) -> MultiFernet:
        keys = getattr(settings, self.setting)
        if not keys:
            raise ImproperlyConfigured(f"{self.setting} is not set: {self.off}.")
        try:
            return MultiFernet([Fernet(key) for key in keys])
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{self.setting} must be Fernet keys (32 url-safe base64-encoded bytes)."
            ) from exc

    def encrypt(self, value: str) -> str:
        return self._fernet().encrypt(value.encode()).decode()

    def decrypt(self, token: str) -> str:
        return self._fernet().decrypt(token.encode()).decode()

    def rotate(self, token: str) -> str:
        """The same secret under the first (newest) key."""
        return self._fernet().rotate(token.encode()).decode()
