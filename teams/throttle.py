"""Login rate limiting: failed sign-ins are counted in the cache per username and per client
address; past the limit the form refuses further tries for a while, whatever the password."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _keys(username: str, address: str) -> list[str]:
    return [_key("user", username), _key("addr", address)]


def is_blocked(username: str, address: str) -> bool:
    user_key, address_key = _keys(username, address)
    found = cache.get_many([user_key, address_key])
    return (
        found.get(user_key, 0) >= settings.LOGIN_FAILURES_PER_USER
        or found.get(address_key, 0) >= settings.LOGIN_FAILURES_PER_ADDRESS
    )


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def clear(username: str) -> None:
    cache.delete(_key("user", username))
