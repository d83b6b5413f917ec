"""Privacy fixtures: Lotta, a member of team A with a full life in the product, and the
traces other people leave next to hers (so tests can tell hers from theirs)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification, ReminderSettings, TeamOptOut
from reflections import services as services_r
from reflections.models import CalendarFeed
from teams import direction_services, services
from teams.models import Membership
from tests.conftest import make_user


@pytest.fixture
def leaver(acme, team_a, supervisor):
    user = make_user(acme, "lotta-leaves")
    services.membership_set(team=team_a, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def session_a(team_a, supervisor):
    return services_r.session_add(
        team=team_a,
        title="Held yesterday",
        starts_at=timezone.now() - timedelta(days=1),
        duration_minutes=30,
        time_zone="Europe/Helsinki",
        prompt_keys=["learned"],
    )


@pytest.fixture
def life(leaver, member, supervisor, team_a, team_b, session_a):
    """Lotta's own content (marked MINE-*) beside other people's (marked THEIRS-*)."""
    theme = direction_services.theme_create(organization=team_a.organization, title="Care")
    team_goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="THEIRS-team-goal", why="Work", themes=[theme]
    )
    goal = direction_services.personal_goal_create(
        owner=leaver,
        title="MINE-goal",
        reason="MINE-reason",
        challenge=2,
        visibility="team",
        team_goal=team_goal,
    )
    direction_services.checkin_create(goal=goal, day=date(2026, 1, 5), progress=3, note="MINE-ci")
    theirs_goal = direction_services.personal_goal_create(
        owner=member, title="THEIRS-goal", reason="THEIRS-reason", challenge=1, visibility="team"
    )
    direction_services.checkin_create(goal=theirs_goal, day=date(2026, 1, 5), progress=2)

    built_on = services_r.thought_post(
        author=leaver, team=team_a, kind="insight", body="MINE-thought-built-on"
    )
    services_r.thought_reply(author=member, parent=built_on, body="THEIRS-reply")
    alone = services_r.thought_post(
        author=leaver, team=team_a, kind="thinking", body="MINE-thought-alone"
    )
    services_r.thought_reply(author=leaver, parent=alone, body="MINE-own-reply")
    theirs = services_r.thought_post(
        author=supervisor, team=team_a, kind="insight", body="THEIRS-thought"
    )
    my_reply = services_r.thought_reply(author=leaver, parent=theirs, body="MINE-reply")

    named = services_r.question_ask(team=team_a, body="MINE-named-question", named_author=leaver)
    answered = services_r.question_ask(
        team=team_a, body="MINE-answered-question", named_author=leaver
    )
    services_r.question_answer(question=answered, author=supervisor, body="THEIRS-answer")
    anonymous = services_r.question_ask(team=team_a, body="ANON-question")
    services_r.question_upvote(question=anonymous, user=leaver)
    their_question = services_r.question_ask(
        team=team_a, body="THEIRS-named-question", named_author=member
    )
    services_r.question_answer(question=their_question, author=leaver, body="MINE-answer")

    services_r.session_hold(session=session_a, attendees=[leaver, member])
    services_r.pulse_answer(session=session_a, user=leaver, values={"dont_know": 4})
    ReminderSettings.objects.create(user=leaver, lead_minutes=60, by_email=False)
    TeamOptOut.objects.create(user=leaver, team=team_a)
    Notification.objects.create(user=leaver, kind="before", session=session_a)
    CalendarFeed.objects.create(user=leaver)
    services.invitation_create(
        inviter=supervisor,
        email="friend-of-lotta@example.org",
        team=team_a,
        role="member",
        language="en",
    )
    return {
        "goal": goal,
        "built_on": built_on,
        "alone": alone,
        "theirs": theirs,
        "my_reply": my_reply,
        "named": named,
        "answered": answered,
        "anonymous": anonymous,
        "their_question": their_question,
    }
