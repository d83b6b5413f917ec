"""Counting attempts in a fixed window in the cache (Redis), for limits that protect inboxes
and the mail server: sign-ups per client address, invitation resends per organisation."""

from django.core.cache import cache


def claim(key: str, *, limit: int, window_seconds: int) -> bool:
    """Counts one attempt under `key`; False once more than `limit` were counted in the
    window, which starts at the first attempt. add() and incr() are atomic in Redis, so two
    attempts at the same moment are both counted."""
    cache.add(key, 0, window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        count = 1
    return count <= limit
