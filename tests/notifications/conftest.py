"""A session of team A starting in two hours; Sue and Mia are its members."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reflections import services as reflections


@pytest.fixture
def soon(team_a, supervisor, member):
    return reflections.session_add(
        team=team_a,
        title="Weekly reflection",
        starts_at=timezone.now() + timedelta(hours=2),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        prompt_keys=["learned", "unfinished"],
    )


@pytest.fixture
def past_session(team_a, supervisor):
    """A one-off session that took place yesterday."""
    return reflections.session_add(
        team=team_a,
        title="Kick-off",
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=60,
        time_zone="Europe/Helsinki",
    )
