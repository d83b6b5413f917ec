"""The database router: HR's report and the calendar feeds read from the replica when one is
configured, the person who just wrote reads from the primary, everything else stays there.

The replica here is a second connection alias to the test database (a test mirror of the
primary), so each query shows which alias served it. Transactional tests: the mirror is its own
connection and sees only committed rows."""

from datetime import time, timedelta

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning_lead import db_router
from reflections import services as reflections
from tests.conftest import PASSWORD

# The alias exists for the whole run (a test may only use an alias known when it starts), but
# the router sends nothing to it unless settings.DATABASES names it: the `replica` fixture.
_DEFAULT = connections.settings["default"]
_MIRROR = {**_DEFAULT, "TEST": {**_DEFAULT["TEST"], "MIRROR": "default"}}
# A copy: connections.settings is settings.DATABASES itself until replaced.
connections.settings = {**connections.settings, db_router.REPLICA: _MIRROR}
with_replica = pytest.mark.django_db(transaction=True, databases=["default", db_router.REPLICA])


@pytest.fixture
def replica(settings):
    settings.DATABASES = {**settings.DATABASES, db_router.REPLICA: _MIRROR}
    return db_router.REPLICA


@pytest.fixture
def fresh_state():
    """A routing state as at the start of a request (the middleware's job in a request)."""
    token = db_router._state.set(None)
    yield
    db_router._state.reset(token)


def tables(queries) -> str:
    return " ".join(query["sql"] for query in queries)


class Aliases:
    """The queries each alias ran inside the block."""

    def __init__(self):
        self.default = CaptureQueriesContext(connections["default"])
        self.replica = (
            CaptureQueriesContext(connections[db_router.REPLICA])
            if db_router.replica_configured()
            else None
        )

    def __enter__(self):
        self.default.__enter__()
        if self.replica is not None:
            self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.default.__exit__(*exc)
        if self.replica is not None:
            self.replica.__exit__(*exc)


def published(hr):
    """The report's months sealed, as the beat's task does: an HR page view only reads then.
    (A month not sealed yet is computed on the primary by the first reader.)"""
    warm = Client()
    warm.force_login(hr)
    assert warm.get(reverse("reports:report")).status_code == 200


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def calendar(team_a, supervisor, member):
    reflections.rhythm_create(
        team=team_a,
        title="Weekly reflection",
        frequency="weekly",
        weekday=0,
        start_date=timezone.localdate() - timedelta(days=7),
        start_time=time(9, 0),
        time_zone="Europe/Helsinki",
        duration_minutes=30,
        location="Room 1",
        prompt_keys=["learned"],
    )
    return reflections.feed_for_user(user=member)


@with_replica
def test_hr_report_reads_from_the_replica(replica, client, hr):
    published(hr)
    signed_in(client, hr)
    with Aliases() as seen:
        response = client.get(reverse("reports:report"))
    assert response.status_code == 200
    assert "reports_" in tables(seen.replica.captured_queries)
    # The primary serves the person and the session (before the view), not the report.
    assert "reports_" not in tables(seen.default.captured_queries)
    assert "ll_primary" not in response.cookies


@with_replica
def test_hr_report_csv_reads_from_the_replica_and_audits_on_the_primary(replica, client, hr):
    published(hr)
    signed_in(client, hr)
    with Aliases() as seen:
        response = client.get(reverse("reports:csv"))
    assert response.status_code == 200
    assert "reports_" in tables(seen.replica.captured_queries)
    assert "INSERT" not in tables(seen.replica.captured_queries)
    assert 'INSERT INTO "privacy_auditevent"' in tables(seen.default.captured_queries)


@with_replica
def test_calendar_feed_reads_from_the_replica(replica, client, calendar):
    with Aliases() as seen:
        response = client.get(reverse("reflections:feed", args=[calendar.token]))
    assert response.status_code == 200
    assert b"Weekly reflection" in response.content
    assert "reflections_session" in tables(seen.replica.captured_queries)
    assert "reflections_session" not in tables(seen.default.captured_queries)


@with_replica
def test_other_pages_stay_on_the_primary(replica, client, member, team_a):
    signed_in(client, member)
    with Aliases() as seen:
        for url in (reverse("home"), reverse("reflections:team_feed", args=[team_a.pk])):
            assert client.get(url).status_code == 200
    assert seen.replica.captured_queries == []
    assert seen.default.captured_queries


@with_replica
def test_after_a_write_the_writer_reads_the_report_from_the_primary(replica, client, hr):
    signed_in(client, hr)
    response = client.post(
        reverse("teams:theme_create"), {"title": "Customer focus", "description": "", "order": 1}
    )
    assert response.status_code == 302
    assert "ll_primary" in response.cookies
    assert response.cookies["ll_primary"]["max-age"] == 10
    assert response.cookies["ll_primary"]["httponly"]
    with Aliases() as seen:
        assert client.get(reverse("reports:report")).status_code == 200
    assert seen.replica.captured_queries == []
    assert "reports_" in tables(seen.default.captured_queries)


@with_replica
def test_the_stickiness_ends_after_its_seconds(replica, client, hr, monkeypatch):
    signed_in(client, hr)
    client.post(reverse("teams:theme_create"), {"title": "Quality", "description": "", "order": 1})
    later = timezone.now().timestamp() + 11
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    with Aliases() as seen:
        assert client.get(reverse("reports:report")).status_code == 200
    assert "reports_" in tables(seen.replica.captured_queries)


@with_replica
def test_a_forged_stickiness_cookie_is_ignored(replica, client, hr):
    signed_in(client, hr)
    client.cookies["ll_primary"] = "1"
    with Aliases() as seen:
        client.get(reverse("reports:report"))
    assert "reports_" in tables(seen.replica.captured_queries)


@with_replica
def test_a_read_after_a_write_in_the_same_block_goes_to_the_primary(replica, hr, fresh_state):
    from teams.models import User

    with db_router.replica_reads():
        assert db_router.serving_from_replica()
        User.objects.filter(pk=hr.pk).update(first_name="Hanna")
        with Aliases() as seen:
            assert User.objects.get(pk=hr.pk).first_name == "Hanna"
    assert seen.replica.captured_queries == []


@with_replica
def test_a_fragment_built_from_the_replica_is_kept_briefly(replica, fresh_state, settings):
    settings.REPLICA_FRAGMENT_SECONDS = 60
    assert db_router.fragment_timeout(3600) == 3600
    with db_router.replica_reads():
        assert db_router.fragment_timeout(3600) == 60


def test_without_a_replica_everything_is_on_the_primary(client, hr, calendar):
    assert not db_router.replica_configured()
    signed_in(client, hr)
    with Aliases() as seen:
        assert client.get(reverse("reports:report")).status_code == 200
        assert client.get(reverse("reflections:feed", args=[calendar.token])).status_code == 200
    assert "reports_" in tables(seen.default.captured_queries)
    assert "reflections_session" in tables(seen.default.captured_queries)
    response = client.post(
        reverse("teams:theme_create"), {"title": "Growth", "description": "", "order": 1}
    )
    assert response.status_code == 302
    assert "ll_primary" not in response.cookies
