"""Encryption of identity-provider client secrets at rest with SSO_ENCRYPTION_KEYS
(learning_lead/key_ring.py); `manage.py rotate_sso_keys` re-encrypts the rows under the newest
key."""

from learning_lead.key_ring import InvalidToken, KeyRing

__all__ = ["InvalidToken", "configured", "decrypt", "encrypt", "rotate"]

_ring = KeyRing("SSO_ENCRYPTION_KEYS", off="single sign-on is off")
configured, encrypt, decrypt, rotate = _ring.configured, _ring.encrypt, _ring.decrypt, _ring.rotate
