"""Encryption of webhook URLs at rest with CHAT_ENCRYPTION_KEYS (learning_lead/key_ring.py);
`manage.py rotate_chat_keys` re-encrypts the rows under the newest key."""

from learning_lead.key_ring import InvalidToken, KeyRing

__all__ = ["InvalidToken", "configured", "decrypt", "encrypt", "rotate"]

_ring = KeyRing("CHAT_ENCRYPTION_KEYS", off="chat channels are off")
configured, encrypt, decrypt, rotate = _ring.configured, _ring.encrypt, _ring.decrypt, _ring.rotate
