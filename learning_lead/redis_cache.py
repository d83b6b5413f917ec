"""Django's Redis cache, reusing one redis-py client per connection pool, and following a Redis
Sentinel failover when sentinels are configured (REDIS_SENTINELS, docs/topology.md).

Django's client builds a new ``redis.Redis`` object for every cache call (about 0.08 ms of CPU
each: its response-callback table is filled anew); a signed-in page makes three or four calls
(session, fragment generations, fragment). redis-py's client is safe to share between threads;
the connections still come from the same pool, so nothing else changes.

With sentinels, the one pool is redis-py's SentinelConnectionPool: each new connection asks the
sentinels for the current master, and a connection to a master that has gone is dropped and
opened again on the new one (redis-py's retries), so the cache and the sessions in it follow a
failover. Reads go to the master too: a session read from a lagging replica could undo a
sign-out.

While Redis cannot be reached (down, or failing over), its callers degrade instead of failing
(docs/topology.md, "While Redis is away"): a cached page is rendered without the cache, a
session is read from the database. What needs the cache to stay correct (forgetting a cached
page after a write, ending a session, the sign-up and reset limits) raises, and the request
answers 503 (``learning_lead.views.server_error``)."""

import logging

import redis
from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.sentinel import Sentinel

logger = logging.getLogger(__name__)

# Redis could not be reached: refused, reset, timed out, or no master named by the sentinels
# (MasterNotFoundError is a ConnectionError; so is a READONLY answer from a demoted master,
# which redis-py's sentinel connection turns into one). Any other error still raises.
UNREACHABLE = (redis.ConnectionError, redis.TimeoutError)

_away = False  # this process has logged that Redis is unreachable, and not yet that it is back


def unreachable(error: BaseException) -> None:
    """Notes that Redis could not be reached: logged once per outage and process, with the
    error's kind only. Never a key or a value: a fragment's key is made from what a page shows
    and a session holds a person's data."""
    global _away
    if not _away:
        _away = True
        logger.warning(
            "Redis unreachable (%s): pages render without the cache until it answers again",
            type(error).__name__,
        )


def reachable() -> None:
    """Redis answered: an outage logged by this process is over."""
    global _away
    if _away:
        _away = False
        logger.warning("Redis answers again")


def is_unreachable(error: BaseException | None) -> bool:
    """Whether an error, or one it was raised from or while handling, is Redis unreachable."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, UNREACHABLE):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def sentinel_master(
    sentinels: list[tuple[str, int]], service_name: str, **connection_options
) -> redis.Redis:
    """A client of the master the sentinels name now, and again after a failover."""
    timeout = connection_options.get("socket_timeout") or 1
    manager = Sentinel(
        sentinels,
        sentinel_kwargs={"socket_timeout": timeout, "socket_connect_timeout": timeout},
        **connection_options,
    )
    return manager.master_for(service_name)


def client(**connection_options) -> redis.Redis:
    """A client of the project's Redis: through the sentinels when there are any, else at
    REDIS_URL."""
    if settings.REDIS_SENTINELS:
        return sentinel_master(
            settings.REDIS_SENTINELS,
            settings.REDIS_SENTINEL_MASTER,
            db=settings.REDIS_DB,
            password=settings.REDIS_PASSWORD or None,
            **connection_options,
        )
    return redis.Redis.from_url(settings.REDIS_URL, **connection_options)


class ReusingClient(RedisCacheClient):
    def __init__(self, servers, *args, sentinels=None, service_name=None, **kwargs):
        super().__init__(servers, *args, **kwargs)
        self._clients = {}
        self._sentinels = [tuple(address) for address in sentinels or []]
        self._service_name = service_name

    def _get_connection_pool(self, write):
        if not self._sentinels:
            return super()._get_connection_pool(write)
        if 0 not in self._pools:
            options = {k: v for k, v in self._pool_options.items() if k != "parser_class"}
            master = sentinel_master(self._sentinels, self._service_name, **options)
            self._pools[0] = master.connection_pool
        return self._pools[0]

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingClient
