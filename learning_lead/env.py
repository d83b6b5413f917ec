"""Tiny helpers that read settings from environment variables and fail loudly on bad values."""

import os
from urllib.parse import quote, urlsplit, urlunsplit

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

# Django's SMTP backend with a fast path for plain addresses.
SMTP_BACKEND = "learning_lead.mail_backend.EmailBackend"
TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(TRUE | FALSE)}, not {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def mailer_from_env(url: str, **smtp_options) -> dict:
    """A MAILERS entry from EMAIL_URL, or from the separate SMTP variables when it is empty."""
    if not url:
        return {"BACKEND": SMTP_BACKEND, "OPTIONS": smtp_options}
    parsed = dj_email_url.parse(url)
    backend = parsed["EMAIL_BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        return {"BACKEND": backend}
    options = {
        "host": parsed["EMAIL_HOST"],
        "port": parsed["EMAIL_PORT"],
        "username": parsed["EMAIL_HOST_USER"],
        "password": parsed["EMAIL_HOST_PASSWORD"],
        "use_tls": parsed["EMAIL_USE_TLS"],
        "use_ssl": parsed["EMAIL_USE_SSL"],
        "timeout": parsed["EMAIL_TIMEOUT"] or 10,
    }
    return {"BACKEND": SMTP_BACKEND, "OPTIONS": options}


def database_config(
    url: str,
    *,
    conn_max_age: int,
    pgbouncer: bool = False,
    pool: bool = False,
    pool_min: int = 2,
    pool_max: int = 8,
    pool_timeout: int = 10,
) -> dict:
    """A DATABASES entry (docs/topology.md): persistent connections by default; behind
    PgBouncer in transaction mode, no server-side cursors and no prepared statements (a
    transaction may run on another server connection than the one that prepared them); or
    Django's psycopg pool in each process, which replaces persistent connections."""
    if pgbouncer and pool:
        raise ImproperlyConfigured(
            "DATABASE_PGBOUNCER and DATABASE_POOL both pool connections: choose one."
        )
    if pool:
        conn_max_age = 0  # Django refuses persistent connections with a pool
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if "sqlite" in config["ENGINE"]:
        # The embedded mode: the web server and the reminder loop write to one file; a
        # transaction that takes the write lock at its start waits its turn (the busy timeout)
        # instead of failing with "database is locked" when it first writes after reading.
        config.setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
    if not (pgbouncer or pool):
        return config
    if "postgresql" not in config["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_PGBOUNCER and DATABASE_POOL need PostgreSQL.")
    options = config.setdefault("OPTIONS", {})
    if pgbouncer:
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        options["prepare_threshold"] = None
    else:
        options["pool"] = {"min_size": pool_min, "max_size": pool_max, "timeout": pool_timeout}
    return config


def sentinels_from_env(name: str) -> list[tuple[str, int]]:
    """REDIS_SENTINELS as "host:port,host:port,...": the addresses of the sentinels."""
    found = []
    for item in envlist(name, []):
        host, _, port = item.rpartition(":")
        if not host or not port.isdigit():
            raise ImproperlyConfigured(f"{name} must list host:port pairs, not {item!r}")
        found.append((host, int(port)))
    return found


def sentinel_broker_url(sentinels: list[tuple[str, int]], *, db: int, password: str) -> str:
    """Celery's (kombu's) broker URL for Redis behind these sentinels; the master's name goes
    in the transport options."""
    auth = f":{quote(password, safe='')}@" if password else ""
    return ";".join(f"sentinel://{auth}{host}:{port}/{db}" for host, port in sentinels)


def redis_url_for_test_worker(url: str, worker: str) -> str:
    """REDIS_URL for one pytest-xdist worker (PYTEST_XDIST_WORKER: "gw0", "gw1", ...), so each
    has a Redis database of its own as pytest-django gives it a PostgreSQL database of its own:
    the tests clear the cache before each test (FLUSHDB), which must not clear another worker's.

    Worker N takes the database N below the URL's ("gw0" the URL's own): the suite's default
    is /15, the last of Redis's 16, so "-n 2" uses 15 and 14. Outside xdist (no worker) and
    without Redis the URL is returned as it is."""
    if not url or not worker:
        return url
    if not worker.startswith("gw") or not worker[2:].isdigit():
        raise ImproperlyConfigured(f"PYTEST_XDIST_WORKER must be gw0, gw1, ..., not {worker!r}")
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    db = base - int(worker[2:])
    if db < 0:
        raise ImproperlyConfigured(
            f"REDIS_URL's database {base} leaves no database for test worker {worker}: the "
            "workers count down from it, so point it at a higher one (the suite's default is /15)"
        )
    return urlunsplit(parts._replace(path=f"/{db}"))
