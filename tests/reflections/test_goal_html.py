"""The direction view's and "my learning"'s repeated items are built in Python
(reflections/goal_html.py) with the markup of templates/teams/goal_items/, their readable
reference: the two agree, to the whitespace, for names and texts that need escaping, a long
note and thought, a former member's thought, in each language and in two time zones; and the
pages show them."""

import dataclasses
import datetime

import pytest
from django.template.loader import get_template
from django.urls import reverse
from django.utils import formats, timezone, translation

from privacy import services as privacy_services
from reflections import direction, goal_html
from reflections import services as reflections
from teams import direction_services
from teams import services as team_services
from teams.models import Membership, PersonalGoal
from tests.conftest import make_user

LONG = " ".join(f"word{n} <&>" for n in range(40))


@pytest.fixture
def goals(acme, team_a, supervisor, member):
    """A team goal with two members' shared goals, check-ins and thoughts, one by a person
    who has since deleted their account."""
    goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Calm <calls> & more", why="Work", themes=[]
    )
    member.last_name = "O'Brien <x>"
    member.save(update_fields=["last_name"])
    gone = make_user(acme, "gus")
    team_services.membership_set(team=team_a, user=gone, role=Membership.Role.MEMBER)
    for owner, title in ((member, 'Listen <first> & "then"'), (supervisor, "Ask")):
        personal = direction_services.personal_goal_create(
            owner=owner,
            title=title,
            reason="Because",
            challenge=2,
            visibility=PersonalGoal.Visibility.TEAM,
            team_goal=goal,
        )
        for days, progress, note in ((1, 2, ""), (3, 4, LONG), (5, 1, "Short <b>note</b>")):
            direction_services.checkin_create(
                goal=personal,
                day=timezone.localdate() - datetime.timedelta(days=days),
                progress=progress,
                note=note,
            )
    for author, kind, body in (
        (member, "tried", "Tried <it> & it worked"),
        (member, "insight", LONG),
        (gone, "thinking", "Bye"),
    ):
        thought = reflections.thought_post(
            author=author, team=team_a, kind=kind, body=body, team_goal=goal
        )
    # Built on, so it stays when its author leaves.
    reflections.thought_reply(author=member, parent=thought, body="Farewell")
    privacy_services.account_deletion_execute(user=gone)
    return goal


def _reference(name: str, context: dict) -> str:
    """The reference template's loop, without the file's last newline."""
    drawn = get_template(f"teams/goal_items/{name}.html").render(context)
    assert drawn.endswith("\n")
    return drawn[:-1]


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "America/New_York"])
@pytest.mark.parametrize("language", ["en", "fi", "sv-fi"])
def test_direction_items_are_built_as_the_templates_draw_them(
    language, zone, goals, team_a, supervisor
):
    read = direction.team_direction(viewer=supervisor, team=team_a, leads=True)
    (item,) = [item for group in read.groups for item in group.goals]
    assert len(item.shared_goals) == 2
    assert len(item.recent_checkins) == 5
    assert any(thought.author is None for thought in item.recent_thoughts)
    goal_path = reverse("teams:personal_goal", args=[987654321]).split("987654321")
    with translation.override(language), timezone.override(zone):
        assert goal_html.shared_goals(item.shared_goals, goal_path) == _reference(
            "shared_goals", {"goals": item.shared_goals, "goal_path": goal_path}
        )
        assert goal_html.recent_checkins(item.recent_checkins) == _reference(
            "recent_checkins", {"checkins": item.recent_checkins}
        )
        assert goal_html.team_goal_thoughts(item.recent_thoughts) == _reference(
            "team_goal_thoughts", {"thoughts": item.recent_thoughts}
        )


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "America/New_York"])
@pytest.mark.parametrize("language", ["en", "fi", "sv-fi"])
def test_each_team_goal_is_built_as_the_template_draws_it(
    language, zone, goals, team_a, supervisor
):
    """A goal with shared goals, check-ins and thoughts and one with none, quiet or not, for
    the supervisor (edit links, hints) and a member."""
    direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Alone", why="Line one\nline <two>", themes=[]
    )
    read = direction.team_direction(viewer=supervisor, team=team_a, leads=True)
    items = [item for group in read.groups for item in group.goals]
    assert len(items) == 2 and not items[0].shared_goals and items[1].shared_goals
    goal_path = reverse("teams:personal_goal", args=[987654321]).split("987654321")
    with translation.override(language), timezone.override(zone):
        for item in items:
            for quiet in (False, True):
                shown = dataclasses.replace(item, quiet=quiet)
                for leads in (True, False):
                    page = {"leads": leads, "quiet_days": 30, "goal_path": goal_path}
                    built = goal_html.goal_article(shown, **page)
                    assert built == _reference("goal_article", {"item": shown, **page})


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "America/New_York"])
@pytest.mark.parametrize("language", ["en", "fi", "sv-fi"])
def test_my_learning_thoughts_are_built_as_the_template_draws_them(language, zone, goals, member):
    (goal,) = direction.my_learning(user=member).active
    assert len(goal.thought_list) == 2
    with translation.override(language), timezone.override(zone):
        assert goal_html.my_goal_thoughts(goal.thought_list) == _reference(
            "my_goal_thoughts", {"thoughts": goal.thought_list}
        )


@pytest.mark.parametrize("zone", ["Europe/Helsinki", "America/New_York"])
@pytest.mark.parametrize("language", ["en", "fi", "sv-fi"])
def test_my_goals_are_built_as_the_template_draws_them(language, zone, goals, member):
    """A goal on a team goal with check-ins (a note on two lines, none) and thoughts, a free
    goal without check-ins, a dropped one: my_goal.html and checkin_table.html, to the byte."""
    direction_services.personal_goal_create(
        owner=member, title="Free <one>", reason="Mine\nall <mine>", challenge=3
    )
    dropped = direction_services.personal_goal_create(
        owner=member, title="Old", reason="Was", challenge=1
    )
    direction_services.checkin_create(
        goal=dropped, day=timezone.localdate(), progress=3, note="First line\nsecond & <last>"
    )
    direction_services.checkin_create(goal=dropped, day=timezone.localdate(), progress=4)
    direction_services.personal_goal_update(
        goal=dropped,
        title="Old",
        reason="Was",
        challenge=1,
        visibility=PersonalGoal.Visibility.SUPERVISOR,
        team_goal=None,
        status="dropped",
    )
    learning = direction.my_learning(user=member)
    assert len(learning.active) == 2 and len(learning.earlier) == 1
    template = get_template("teams/my_goal.html")
    with translation.override(language), timezone.override(zone):
        for goal in learning.active + learning.earlier:
            assert goal_html.my_goal(goal) == template.render({"goal": goal}), goal.title


def test_the_pages_show_the_items_escaped(client, goals, team_a, supervisor, member):
    client.force_login(supervisor)
    page = client.get(reverse("reflections:team_direction", args=[team_a.pk])).content.decode()
    assert "Listen &lt;first&gt; &amp; &quot;then&quot;" in page
    assert "Mia O&#x27;Brien &lt;x&gt;" in page
    assert "Short &lt;b&gt;note&lt;/b&gt;" in page
    assert "Tried &lt;it&gt; &amp; it worked" in page
    assert "<b>" not in page
    client.force_login(member)
    page = client.get(reverse("reflections:my_learning")).content.decode()
    assert "Tried &lt;it&gt; &amp; it worked" in page
    assert reverse("reflections:team_feed", args=[team_a.pk]) in page


def test_a_free_shared_goal_shows_its_last_check_in(client, goals, team_a, supervisor, member):
    free = direction_services.personal_goal_create(
        owner=member,
        title="Free <one>",
        reason="Mine",
        challenge=1,
        visibility=PersonalGoal.Visibility.SUPERVISOR,
    )
    day = timezone.localdate()
    direction_services.checkin_create(goal=free, day=day - datetime.timedelta(days=3), progress=2)
    direction_services.checkin_create(goal=free, day=day, progress=4)
    client.force_login(supervisor)
    page = client.get(reverse("reflections:team_direction", args=[team_a.pk])).content.decode()
    with translation.override("en"):
        shown = formats.date_format(day, "SHORT_DATE_FORMAT")
    path = reverse("teams:personal_goal", args=[free.pk])
    assert (
        f'<li><a href="{path}">Free &lt;one&gt;</a> <span class="meta">· Mia O&#x27;Brien &lt;x&gt;'
        f" · last check-in {shown}: 4 / 5</span></li>"
    ) in page
