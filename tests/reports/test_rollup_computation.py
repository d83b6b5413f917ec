"""Computing a month's rollups on data of its own (not the fourteen-month world of
tests/reports/test_rollups.py): two computations at once write the month once, and the report's
query count does not grow with the organisation."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from reflections import services as reflections
from reports import rollups
from reports.models import PersonMonth, RollupMonth, TeamMonth
from teams import services
from tests.conftest import make_user


@pytest.mark.django_db(transaction=True)
def test_two_computations_of_a_month_at_once_write_it_once(acme, team_a, member, supervisor):
    session = reflections.session_add(
        team=team_a,
        title="S",
        starts_at=timezone.now() - timedelta(hours=2),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
    )
    reflections.session_hold(session=session, attendees=[member, supervisor])
    month = rollups.local_month(acme, timezone.now())
    start = threading.Barrier(2)
    errors = []

    def run():
        try:
            start.wait()
            rollups.rollup_month_compute(organization=acme, month=month)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert TeamMonth.objects.get(team=team_a, month=month).attendances == 2
    assert PersonMonth.objects.filter(team=team_a, month=month).count() == 2
    assert RollupMonth.objects.filter(organization=acme, month=month).count() == 1


def test_the_report_query_count_does_not_grow_with_data(
    client, hr, acme, django_assert_max_num_queries, settings
):
    settings.FRAGMENT_CACHE = False  # the report built each time, not read from the cache
    client.force_login(hr)
    team = services.team_create(organization=acme, name="Growing")
    members = [make_user(acme, f"grow{i}") for i in range(6)]
    for person in members:
        services.membership_set(team=team, user=person, role="member")
    rollups.rollups_backfill(organization=acme)
    client.get(reverse("reports:report"), {"period": "year"})  # every month computed once
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("reports:report"), {"period": "year"})
    for index in range(8):
        other = services.team_create(organization=acme, name=f"More {index}")
        others = [make_user(acme, f"more{index}-{i}") for i in range(6)]
        for person in others:
            services.membership_set(team=other, user=person, role="member")
        for days in (3, 40, 80):
            session = reflections.session_add(
                team=other,
                title="S",
                starts_at=timezone.now() - timedelta(days=days),
                duration_minutes=30,
                time_zone="Europe/Helsinki",
            )
            reflections.session_hold(session=session, attendees=others[:5])
            reflections.thought_post(author=others[0], team=other, kind="insight", body="t")
    rollups.rollups_backfill(organization=acme)
    with django_assert_max_num_queries(12) as large:
        client.get(reverse("reports:report"), {"period": "year"})
    assert len(large.captured_queries) == len(small.captured_queries)
