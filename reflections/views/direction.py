"""A team's learning direction and "my learning": goals beside the thoughts linked to them
(and, for the team's supervisor, participation). They read teams and reflections both, so
they live here (docs/architecture.md); setting goals and check-ins stays in teams/views."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from learning_lead import fragments
from reflections import direction, health
from teams import access, coaching
from teams.selectors import QUIET_AFTER, team_ids_of

_ANY_ID = 987654321  # stands for a personal goal's id in its path


@login_required
def team_direction(request, pk: int):
    team = access.get_team_for(request.user, pk)
    leads = access.is_supervisor_of(request.user, team)

    def context() -> dict:
        read = direction.team_direction(viewer=request.user, team=team, leads=leads)
        hints = []
        if leads:
            held = health.team_participation(team)
            hints = coaching.hints_for_direction(read, held_sessions=held)
        return {
            "team": team,
            "direction": read,
            "leads": leads,
            "hints": hints,
            "quiet_days": QUIET_AFTER.days,
            # Reversed once, not once per shared goal: the page is rendered often enough.
            "goal_path": reverse("teams:personal_goal", args=[_ANY_ID]).split(str(_ANY_ID)),
        }

    # Per viewer: which personal goals show depends on the teams the viewer is in and leads.
    # It reads no anonymous content, so a key per person records nothing about asking.
    body = fragments.render(
        request,
        "teams/team_direction_body.html",
        context,
        scopes=[
            fragments.team(team.pk),
            fragments.goal_thoughts(team.pk),  # recent thoughts on each team goal
            fragments.org(team.organization_id),
            fragments.user(request.user.pk),  # the viewer's teams and roles elsewhere
        ],
        # "Quiet for 30 days", the weeks of participation; the team row and the role were
        # read before the generations (see reflections/views/questions.py).
        variant=(timezone.localdate(), leads, team.name),
        per_viewer=True,
    )
    return render(request, "teams/team_direction.html", {"team": team, "body": body})


def _learning_scopes(user):
    """My learning's scopes: the person, the organisation, each of their teams and its
    thoughts on goals. A generator: the teams are read only when the fragment cache is asked
    (fragments._cached), not when it is switched off."""
    yield fragments.user(user.pk)
    yield fragments.org(user.organization_id)
    for team_id in team_ids_of(user.pk):
        yield fragments.team(team_id)
        yield fragments.goal_thoughts(team_id)  # my thoughts on goals


@login_required
def my_learning(request):
    user = request.user
    body = fragments.render(
        request,
        "teams/my_learning_body.html",
        lambda: {"learning": direction.my_learning(user=user)},
        scopes=_learning_scopes(user),
        variant=timezone.localdate(),
        per_viewer=True,
    )
    return render(request, "teams/my_learning.html", {"body": body})
