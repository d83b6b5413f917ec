"""Rhythm fixtures: team A gets a weekly Monday 09:00 rhythm starting four weeks ago."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from reflections import services


@pytest.fixture
def rhythm(team_a, supervisor):
    return services.rhythm_create(
        team=team_a,
        title="Weekly reflection",
        frequency="weekly",
        weekday=0,
        start_date=timezone.localdate() - timedelta(days=28),
        start_time=time(9, 0),
        time_zone="Europe/Helsinki",
        duration_minutes=30,
        location="Room 1",
        prompt_keys=["learned", "next"],
    )


@pytest.fixture
def next_session(rhythm):
    return rhythm.sessions.filter(starts_at__gt=timezone.now()).order_by("starts_at").first()


@pytest.fixture
def past_session(team_a, supervisor):
    """A one-off session that took place yesterday."""
    return services.session_add(
        team=team_a,
        title="Kick-off",
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=60,
        time_zone="Europe/Helsinki",
        prompt_keys=["learned"],
    )
