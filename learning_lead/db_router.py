"""Chosen reads on a streaming replica, everything else on the primary (docs/topology.md).

A view opts in with ``@replica_reads`` (HR's report and its CSV, the calendar feeds): while
it runs, its reads go to the ``replica`` database alias when one is configured
(``DATABASE_REPLICA_URL``). Everything else, every write and every read outside such a view,
stays on ``default``.

Read-your-writes: a replica lags the primary by a moment. Whoever just wrote (any POST, or any
write the router saw) gets a short-lived signed cookie, and while it is valid their chosen
reads stay on the primary too; so does the rest of a request once it has written, and any read
inside an open transaction on the primary. A calendar app sends no cookie; a feed read from a
lagging replica is at most a poll behind, and is kept in the fragment cache only briefly
(``fragment_timeout``)."""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
STICKY_COOKIE = "ll_primary"
_SALT = "learning_lead.db_router.sticky"


@dataclass
class _State:
    replica_reads: bool = False  # inside a view (or block) that opted in
    sticky: bool = False  # the person wrote a moment ago: stay on the primary
    wrote: bool = False  # this request (or task) has written


_state: ContextVar[_State | None] = ContextVar("db_router_state", default=None)


def _current() -> _State:
    state = _state.get()
    if state is None:
        state = _State()
        _state.set(state)
    return state


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def serving_from_replica() -> bool:
    """Whether a read made now would go to the replica."""
    state = _current()
    return (
        replica_configured()
        and state.replica_reads
        and not state.sticky
        and not state.wrote
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


def fragment_timeout(timeout: int) -> int:
    """How long a cached text built now may live: briefly when it was read from a replica that
    may lag, so that a stale copy cannot outlive a write by long."""
    if serving_from_replica():
        return min(timeout, settings.REPLICA_FRAGMENT_SECONDS)
    return timeout


class ReplicaRouter:
    """Django's database router (DATABASE_ROUTERS)."""

    def db_for_read(self, model, **hints):
        return REPLICA if serving_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        _current().wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's WAL; nothing is ever migrated on it.
        return db != REPLICA


@contextmanager
def replica_reads():
    """Route this block's reads to the replica, as the module says; ``@replica_reads()`` on a
    view does it for the view."""
    state = _current()
    previous, state.replica_reads = state.replica_reads, True
    try:
        yield
    finally:
        state.replica_reads = previous


class StickyPrimaryMiddleware:
    """Starts each request with a fresh routing state (sticky when its signed cookie is still
    valid) and, when the request wrote, gives the person the cookie for a few seconds more."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        sticky = self._cookie_valid(request)
        token = _state.set(_State(sticky=sticky))
        try:
            response = self.get_response(request)
            wrote = _current().wrote or request.method not in ("GET", "HEAD", "OPTIONS")
        finally:
            _state.reset(token)
        if wrote:
            response.set_signed_cookie(
                STICKY_COOKIE,
                "1",
                salt=_SALT,
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    @staticmethod
    def _cookie_valid(request) -> bool:
        value = request.get_signed_cookie(
            STICKY_COOKIE, default=None, salt=_SALT, max_age=settings.REPLICA_STICKY_SECONDS
        )
        return value == "1"
