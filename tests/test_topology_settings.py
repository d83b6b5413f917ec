"""Settings for more than one machine (docs/topology.md): PgBouncer in transaction mode or
Django's psycopg pool, a read replica, and Redis behind Sentinel for the broker, the cache and
the sessions."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse
from redis.sentinel import SentinelConnectionPool

from learning_lead.env import (
    database_config,
    redis_url_for_test_worker,
    sentinel_broker_url,
    sentinels_from_env,
)
from learning_lead.redis_cache import ReusingClient

POSTGRES = "postgres://app:secret@db.example:6432/learning_lead"


def settings_with(**env) -> dict:
    """The values a process started with this environment sees."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("REDIS_", "DATABASE_")) and k not in ("DEBUG", "PYTEST_XDIST_WORKER")
    }
    environ.update(SECRET_KEY="x" * 60, DATABASE_URL=POSTGRES, **env)
    code = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({k: getattr(settings, k) for k in ("
        "'DATABASES', 'CACHES', 'CELERY_BROKER_URL', 'CELERY_BROKER_TRANSPORT_OPTIONS',"
        "'CELERY_TASK_ALWAYS_EAGER', 'SESSION_ENGINE', 'FRAGMENT_CACHE')}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "DJANGO_SETTINGS_MODULE": "learning_lead.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_behind_pgbouncer_no_server_side_cursors_nor_prepared_statements():
    config = database_config(POSTGRES, conn_max_age=60, pgbouncer=True)
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert config["OPTIONS"]["prepare_threshold"] is None
    # Persistent connections to PgBouncer are cheap: it holds the server connections.
    assert config["CONN_MAX_AGE"] == 60


def test_without_pgbouncer_the_psycopg_pool_replaces_persistent_connections():
    config = database_config(POSTGRES, conn_max_age=60, pool=True, pool_min=1, pool_max=4)
    assert config["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 4, "timeout": 10}
    assert config["CONN_MAX_AGE"] == 0
    assert not config.get("DISABLE_SERVER_SIDE_CURSORS")


def test_plain_connections_keep_their_defaults():
    config = database_config(POSTGRES, conn_max_age=60)
    assert config["CONN_MAX_AGE"] == 60
    assert "pool" not in config.get("OPTIONS", {})
    assert not config.get("DISABLE_SERVER_SIDE_CURSORS")


@pytest.mark.parametrize(
    ("url", "options"),
    [
        (POSTGRES, {"pgbouncer": True, "pool": True}),
        ("sqlite:///x.sqlite3", {"pool": True}),
        ("sqlite:///x.sqlite3", {"pgbouncer": True}),
    ],
)
def test_impossible_pooling_fails_loudly(url, options):
    with pytest.raises(ImproperlyConfigured):
        database_config(url, conn_max_age=0, **options)


def test_sentinels_are_host_port_pairs(monkeypatch):
    monkeypatch.setenv("REDIS_SENTINELS", "10.0.0.1:26379, sentinel-b:26380")
    assert sentinels_from_env("REDIS_SENTINELS") == [("10.0.0.1", 26379), ("sentinel-b", 26380)]
    monkeypatch.setenv("REDIS_SENTINELS", "10.0.0.1")
    with pytest.raises(ImproperlyConfigured):
        sentinels_from_env("REDIS_SENTINELS")


def test_broker_url_names_every_sentinel_with_the_database_and_a_quoted_password():
    url = sentinel_broker_url([("a", 1), ("b", 2)], db=3, password="p@ss/w")
    assert url == "sentinel://:p%40ss%2Fw@a:1/3;sentinel://:p%40ss%2Fw@b:2/3"


def test_broker_cache_and_sessions_go_through_the_sentinels():
    found = settings_with(
        REDIS_SENTINELS="127.0.0.1:26379,127.0.0.1:26380,127.0.0.1:26381",
        REDIS_SENTINEL_MASTER="learning-lead",
        REDIS_DB="2",
    )
    assert found["CELERY_BROKER_URL"].split(";") == [
        f"sentinel://127.0.0.1:{port}/2" for port in (26379, 26380, 26381)
    ]
    assert found["CELERY_BROKER_TRANSPORT_OPTIONS"]["master_name"] == "learning-lead"
    assert found["CELERY_TASK_ALWAYS_EAGER"] is False
    options = found["CACHES"]["default"]["OPTIONS"]
    assert options["service_name"] == "learning-lead"
    assert [tuple(s) for s in options["sentinels"]] == [
        ("127.0.0.1", 26379),
        ("127.0.0.1", 26380),
        ("127.0.0.1", 26381),
    ]
    assert options["db"] == 2
    assert found["SESSION_ENGINE"] == "learning_lead.session_store"
    assert found["FRAGMENT_CACHE"] is True


def test_a_replica_url_adds_the_replica_alias_mirrored_in_tests():
    found = settings_with(
        DATABASE_REPLICA_URL="postgres://app:secret@replica.example:5432/learning_lead",
        DATABASE_PGBOUNCER="1",
    )
    replica = found["DATABASES"]["replica"]
    assert replica["HOST"] == "replica.example"
    assert replica["TEST"]["MIRROR"] == "default"
    assert replica["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert "replica" not in settings_with()["DATABASES"]


def test_the_cache_asks_the_sentinels_for_the_master():
    client = ReusingClient([""], sentinels=[["127.0.0.1", 1]], service_name="learning-lead", db=2)
    pool = client.get_client(write=False).connection_pool
    assert isinstance(pool, SentinelConnectionPool)
    assert pool.service_name == "learning-lead"
    assert client.get_client(write=True).connection_pool is pool


def test_healthz_is_degraded_when_no_sentinel_answers(client, db, settings):
    settings.REDIS_URL = ""
    settings.REDIS_SENTINELS = [("127.0.0.1", 1)]
    body = client.get(reverse("healthz")).json()
    assert body["broker"] is False
    assert body["status"] == "degraded"


def test_the_psycopg_pool_serves_queries(django_db_setup):
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_POOL"}
    test_database = connection.settings_dict["NAME"]
    environ["DATABASE_URL"] = environ["DATABASE_URL"].rsplit("/", 1)[0] + f"/{test_database}"
    code = (
        "import django; django.setup(); from django.db import connection;"
        "cursor = connection.cursor(); cursor.execute('SELECT 1');"
        "print(cursor.fetchone()[0], type(connection.pool).__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**environ, "DATABASE_POOL": "1", "DJANGO_SETTINGS_MODULE": "learning_lead.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "ConnectionPool"]


EMBEDDED_WRITERS = """
import threading, time
import django
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
    cursor.execute("INSERT INTO counter VALUES (0)")
errors = []

def add_one(hold):
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                time.sleep(hold)
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connections.close_all()

threads = [threading.Thread(target=add_one, args=(hold,)) for hold in (0.5, 0.0)]
for thread in threads:
    thread.start()
    time.sleep(0.1)
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    print(cursor.fetchone()[0], errors)
"""


def test_the_embedded_database_takes_its_write_lock_when_a_transaction_begins(tmp_path):
    """The web server and the reminder loop share one SQLite file: two transactions that read
    and then write wait for each other instead of failing with "database is locked" or losing
    an update."""
    config = database_config(f"sqlite:///{tmp_path / 'db.sqlite3'}", conn_max_age=0)
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "learning_lead.settings",
        "DEBUG": "1",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", EMBEDDED_WRITERS],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stdout.split("\n")[-2] == "2 []", done.stdout + done.stderr


def test_each_test_worker_has_a_redis_database_of_its_own():
    """pytest-xdist's workers count down from REDIS_URL's database; one process alone keeps it."""
    assert redis_url_for_test_worker("redis://127.0.0.1:6379/15", "") == "redis://127.0.0.1:6379/15"
    assert redis_url_for_test_worker("redis://127.0.0.1:6379/15", "gw0") == (
        "redis://127.0.0.1:6379/15"
    )
    assert redis_url_for_test_worker("redis://:pw@cache:6379/15?x=1", "gw3") == (
        "redis://:pw@cache:6379/12?x=1"
    )
    assert redis_url_for_test_worker("", "gw1") == ""
    with pytest.raises(ImproperlyConfigured, match="no database for test worker gw1"):
        redis_url_for_test_worker("redis://127.0.0.1:6379", "gw1")
    with pytest.raises(ImproperlyConfigured, match="PYTEST_XDIST_WORKER"):
        redis_url_for_test_worker("redis://127.0.0.1:6379/15", "master")


def test_a_test_workers_cache_sessions_and_broker_use_its_own_database():
    found = settings_with(REDIS_URL="redis://127.0.0.1:6379/15", PYTEST_XDIST_WORKER="gw1")
    assert found["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/14"
    assert found["CELERY_BROKER_URL"] == "redis://127.0.0.1:6379/14"
    assert found["SESSION_ENGINE"] == "learning_lead.session_store"
