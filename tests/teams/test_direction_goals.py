"""Team goals (set, proposed, accepted) and personal goals with check-ins; bad input explained."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from teams import direction_services, services
from teams.models import CheckIn, PersonalGoal, TeamGoal
from tests.conftest import make_user


def goal_data(theme, **overrides):
    return {"title": "Data storytelling", "why": "Reports nobody reads", "themes": [theme.pk]} | (
        overrides
    )


def test_supervisor_sets_an_active_team_goal_linked_to_themes(client, supervisor, team_a, theme):
    client.force_login(supervisor)
    response = client.post(reverse("teams:team_goal_create", args=[team_a.pk]), goal_data(theme))
    assert response["Location"] == reverse("reflections:team_direction", args=[team_a.pk])
    goal = TeamGoal.objects.get()
    assert (goal.team, goal.status, goal.created_by) == (team_a, "active", supervisor)
    assert list(goal.themes.all()) == [theme]


def test_member_proposes_and_supervisor_accepts(client, member, supervisor, team_a, theme):
    client.force_login(member)
    client.post(reverse("teams:team_goal_create", args=[team_a.pk]), goal_data(theme))
    goal = TeamGoal.objects.get()
    assert goal.status == "proposed"
    # A proposal is not yet something to link a personal goal to.
    page = client.get(reverse("teams:personal_goal_create"))
    assert goal not in page.context["form"].fields["team_goal"].queryset

    client.force_login(supervisor)
    body = client.get(reverse("reflections:team_direction", args=[team_a.pk])).content.decode()
    assert "Accept “Data storytelling” as a team goal" in body
    client.post(reverse("teams:team_goal_accept", args=[goal.pk]))
    goal.refresh_from_db()
    assert goal.status == "active"
    again = client.post(reverse("teams:team_goal_accept", args=[goal.pk]), follow=True)
    assert "no longer waiting for acceptance" in again.content.decode()


def test_member_cannot_edit_or_accept_a_team_goal(client, member, team_goal):
    client.force_login(member)
    edit = client.post(
        reverse("teams:team_goal_edit", args=[team_goal.pk]),
        {"title": "Mine now", "why": "x", "status": "dropped"},
    )
    assert edit.status_code == 404
    assert client.post(reverse("teams:team_goal_accept", args=[team_goal.pk])).status_code == 404
    team_goal.refresh_from_db()
    assert (team_goal.title, team_goal.status) == ("Calm customer calls", "active")


def test_supervisor_marks_a_team_goal_reached(client, supervisor, team_goal, theme):
    client.force_login(supervisor)
    client.post(
        reverse("teams:team_goal_edit", args=[team_goal.pk]),
        goal_data(theme, status="reached"),
    )
    team_goal.refresh_from_db()
    assert (team_goal.title, team_goal.status) == ("Data storytelling", "reached")


def test_supervisor_of_another_team_gets_404_for_a_team_goal(
    client, acme, team_b, team_goal, theme
):
    lead_b = make_user(acme, "ben")
    services.membership_set(team=team_b, user=lead_b, role="supervisor")
    client.force_login(lead_b)
    response = client.post(reverse("teams:team_goal_edit", args=[team_goal.pk]), goal_data(theme))
    assert response.status_code == 404
    assert (
        client.get(reverse("reflections:team_direction", args=[team_goal.team_id])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"why": ""}, "This field is required"),
        ({"title": "x" * 161}, "at most 160 characters"),
        ({"themes": []}, "Choose at least one strategy theme"),
    ],
)
def test_bad_team_goal_input_gives_a_clear_message_and_keeps_what_was_typed(
    client, supervisor, team_a, theme, overrides, message
):
    client.force_login(supervisor)
    response = client.post(
        reverse("teams:team_goal_create", args=[team_a.pk]), goal_data(theme, **overrides)
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Reports nobody reads" in body or overrides.get("why") == ""
    assert not TeamGoal.objects.exists()


def test_theme_of_another_organisation_is_not_a_valid_choice(client, supervisor, team_a, other_org):
    foreign = direction_services.theme_create(organization=other_org, title="Theirs")
    client.force_login(supervisor)
    response = client.post(reverse("teams:team_goal_create", args=[team_a.pk]), goal_data(foreign))
    assert "Select a valid choice" in response.content.decode()
    assert not TeamGoal.objects.exists()


def test_team_goal_may_stand_without_a_theme_until_hr_writes_themes(client, supervisor, team_a):
    client.force_login(supervisor)
    client.post(reverse("teams:team_goal_create", args=[team_a.pk]), {"title": "T", "why": "W"})
    assert TeamGoal.objects.get().themes.count() == 0
    body = client.get(reverse("reflections:team_direction", args=[team_a.pk])).content.decode()
    assert "Not linked to a strategy theme" in body


PERSONAL = {
    "title": "Lead a retro",
    "reason": "I want to help us talk",
    "challenge": "3",
    "visibility": "supervisor",
}


def test_employee_sets_a_personal_goal_linked_to_a_team_goal(client, member, team_goal):
    client.force_login(member)
    response = client.post(
        reverse("teams:personal_goal_create"), PERSONAL | {"team_goal": team_goal.pk}
    )
    goal = PersonalGoal.objects.get()
    assert response["Location"] == reverse("teams:personal_goal", args=[goal.pk])
    assert (goal.owner, goal.team_goal, goal.challenge, goal.visibility) == (
        member,
        team_goal,
        3,
        "supervisor",
    )


def test_new_goals_are_private_unless_the_person_chooses(client, member):
    client.force_login(member)
    form = client.get(reverse("teams:personal_goal_create")).context["form"]
    assert form["visibility"].value() == "private"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"reason": ""}, "This field is required"),
        ({"reason": "x" * 2001}, "at most 2000 characters"),
        ({"challenge": "7"}, "Select a valid choice"),
        ({"visibility": "everyone"}, "Select a valid choice"),
    ],
)
def test_bad_personal_goal_input_gives_a_clear_message(client, member, overrides, message):
    client.force_login(member)
    response = client.post(reverse("teams:personal_goal_create"), PERSONAL | overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    if overrides.get("title") != "":
        assert "Lead a retro" in response.content.decode()
    assert not PersonalGoal.objects.exists()


@pytest.mark.parametrize("persona", ["other_member", "foreigner"])
def test_team_goal_of_another_team_or_organisation_is_not_a_valid_choice(
    client, personas, team_goal, persona
):
    client.force_login(personas[persona])
    response = client.post(
        reverse("teams:personal_goal_create"), PERSONAL | {"team_goal": team_goal.pk}
    )
    assert "Select a valid choice" in response.content.decode()
    assert not PersonalGoal.objects.exists()


def test_service_refuses_a_team_goal_of_a_team_the_owner_is_not_in(other_member, team_goal):
    with pytest.raises(direction_services.DirectionError):
        direction_services.personal_goal_create(
            owner=other_member, title="T", reason="R", challenge=1, team_goal=team_goal
        )


def test_owner_edits_visibility_and_marks_the_goal_reached(client, member, make_goal):
    goal = make_goal(member, "team")
    client.force_login(member)
    client.post(
        reverse("teams:personal_goal_edit", args=[goal.pk]),
        PERSONAL | {"visibility": "private", "status": "reached", "team_goal": goal.team_goal_id},
    )
    goal.refresh_from_db()
    assert (goal.visibility, goal.status) == ("private", "reached")
    body = client.get(reverse("reflections:my_learning")).content.decode()
    assert "Reached and dropped goals" in body


def set_long_ago(goal: PersonalGoal) -> PersonalGoal:
    """The goal was set in 2025, so the check-ins below may be dated in early 2026."""
    long_ago = timezone.make_aware(datetime.datetime(2025, 12, 1, 12))
    PersonalGoal.objects.filter(pk=goal.pk).update(created_at=long_ago)
    goal.refresh_from_db()
    return goal


def test_check_in_is_saved_and_shown_over_time(client, member, make_goal):
    goal = set_long_ago(make_goal(member, "private"))
    client.force_login(member)
    for day, progress in [("2026-01-10", "2"), ("2026-02-10", "4")]:
        client.post(
            reverse("teams:checkin_create", args=[goal.pk]),
            {"day": day, "progress": progress, "note": f"note {day}"},
        )
    assert list(goal.checkins.values_list("progress", flat=True)) == [4, 2]
    body = client.get(reverse("reflections:my_learning")).content.decode()
    assert body.index("note 2026-02-10") < body.index("note 2026-01-10")


def test_check_in_by_htmx_returns_only_the_check_ins_region(client, member, make_goal):
    goal = set_long_ago(make_goal(member, "private"))
    client.force_login(member)
    response = client.post(
        reverse("teams:checkin_create", args=[goal.pk]),
        {"day": "2026-01-10", "progress": "3", "note": "Small win"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="checkins"')
    assert "Small win" in body
    assert "Check-in saved." in body
    assert "<html" not in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"progress": "6"}, "Select a valid choice"),
        ({"progress": "0"}, "Select a valid choice"),
        ({"progress": ""}, "This field is required"),
        ({"day": ""}, "This field is required"),
        ({"note": "x" * 501}, "at most 500 characters"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_check_in_gives_a_clear_message_and_keeps_the_note(
    client, member, make_goal, data, message, htmx
):
    goal = set_long_ago(make_goal(member, "private"))
    client.force_login(member)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(
        reverse("teams:checkin_create", args=[goal.pk]),
        {"day": "2026-01-10", "progress": "3", "note": "Kept note"} | data,
        headers=headers,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    if "note" not in data:
        assert "Kept note" in body
    assert not CheckIn.objects.exists()


def test_check_in_cannot_be_dated_in_the_future(client, member, make_goal):
    goal = make_goal(member, "private")
    client.force_login(member)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("teams:checkin_create", args=[goal.pk]), {"day": tomorrow, "progress": "3"}
    )
    assert "cannot be dated in the future" in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_check_in_cannot_be_dated_before_the_goal_was_set(client, member, make_goal, htmx):
    goal = make_goal(member, "private")
    client.force_login(member)
    headers = {"HX-Request": "true"} if htmx else {}
    url = reverse("teams:checkin_create", args=[goal.pk])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for day in ("1999-01-01", yesterday.isoformat()):
        response = client.post(url, {"day": day, "progress": "3"}, headers=headers)
        assert response.status_code == 200
        assert "cannot be dated before the goal was set" in response.content.decode()
    assert not CheckIn.objects.exists()
    # The day the goal was set is the first day a check-in may carry.
    client.post(url, {"day": timezone.localdate().isoformat(), "progress": "3"}, headers=headers)
    assert goal.checkins.count() == 1


def test_check_in_form_offers_only_days_from_the_goal_to_today(client, member, make_goal):
    goal = set_long_ago(make_goal(member, "private"))
    client.force_login(member)
    body = client.get(reverse("teams:personal_goal", args=[goal.pk])).content.decode()
    assert 'min="2025-12-01"' in body
    assert f'max="{timezone.localdate().isoformat()}"' in body


def test_quiet_goals_stand_out_in_the_direction_view(client, supervisor, member, make_goal):
    goal = make_goal(member, "supervisor")
    long_ago = timezone.now() - datetime.timedelta(days=60)
    TeamGoal.objects.filter(pk=goal.team_goal_id).update(created_at=long_ago)
    PersonalGoal.objects.filter(pk=goal.pk).update(created_at=long_ago)
    direction_services.checkin_create(
        goal=goal, day=timezone.localdate() - datetime.timedelta(days=45), progress=2
    )
    client.force_login(supervisor)
    url = reverse("reflections:team_direction", args=[goal.team_goal.team_id])
    assert "Nothing new in 30 days" in client.get(url).content.decode()

    direction_services.checkin_create(goal=goal, day=timezone.localdate(), progress=3)
    assert "Nothing new in 30 days" not in client.get(url).content.decode()


def test_supervisor_sees_coaching_hints_and_members_do_not(client, supervisor, member, team_a):
    client.force_login(supervisor)
    url = reverse("reflections:team_direction", args=[team_a.pk])
    assert "Coaching hints" in client.get(url).content.decode()
    client.force_login(member)
    assert "Coaching hints" not in client.get(url).content.decode()


def test_current_theme_without_a_team_goal_shows_as_a_gap(client, supervisor, team_a, theme):
    client.force_login(supervisor)
    body = client.get(reverse("reflections:team_direction", args=[team_a.pk])).content.decode()
    assert "Customer first" in body
    assert "The team has no goal for this theme yet." in body


def test_goal_serving_two_themes_is_shown_once_and_named_under_the_second(
    client, acme, supervisor, team_goal, theme
):
    second = direction_services.theme_create(organization=acme, title="Learning together", order=2)
    team_goal.themes.add(second)
    client.force_login(supervisor)
    response = client.get(reverse("reflections:team_direction", args=[team_goal.team_id]))
    first_group, second_group = response.context["direction"].groups
    assert [item.goal for item in first_group.goals] == [team_goal]
    assert (second_group.goals, [item.goal for item in second_group.also]) == ([], [team_goal])
    body = response.content.decode()
    assert body.count("Hard calls are a third of our week.") == 1
    assert f'<a href="#goal-{team_goal.pk}">Calm customer calls</a>' in body


def test_only_current_themes_are_offered_but_a_linked_past_theme_is_kept(
    client, acme, supervisor, team_goal, theme
):
    past = direction_services.theme_create(
        organization=acme,
        title="Last year's focus",
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2020, 12, 31),
    )
    client.force_login(supervisor)
    create = client.get(reverse("teams:team_goal_create", args=[team_goal.team_id]))
    assert list(create.context["form"].fields["themes"].queryset) == [theme]
    team_goal.themes.add(past)
    edit = client.get(reverse("teams:team_goal_edit", args=[team_goal.pk]))
    assert set(edit.context["form"].fields["themes"].queryset) == {theme, past}
