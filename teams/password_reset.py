"""How often password reset e-mails go out: per address and per account, counted in the cache.

Without a limit anyone could fill a person's inbox with reset e-mails. An address or account
gets at most one reset e-mail per PASSWORD_RESET_INTERVAL_SECONDS and PASSWORD_RESET_DAILY_LIMIT
in 24 hours. The visitor sees the same "check your e-mail" page whether an e-mail went out,
was held back, or no account has the address. Keys hold a hash, never the address itself.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

DAY = 24 * 60 * 60


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]
    return f"password-reset:{kind}:{digest}"


def reset_mail_claim(*, email: str, user_id: int) -> bool:
    """Claims one reset e-mail for this address and account; False when either has had one
    within the interval or has reached the daily limit."""
    subjects = [_key("address", email), _key("account", str(user_id))]
    daily = [f"{subject}:day" for subject in subjects]
    counts = cache.get_many(daily)
    if any(counts.get(key, 0) >= settings.PASSWORD_RESET_DAILY_LIMIT for key in daily):
        return False
    interval = settings.PASSWORD_RESET_INTERVAL_SECONDS
    # add() is atomic in Redis: of two requests at the same moment only one gets the slot.
    if not all(cache.add(f"{subject}:recent", 1, interval) for subject in subjects):
        return False
    for key in daily:
        cache.add(key, 0, DAY)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, DAY)
    return True
