"""A team's learning direction: the direction view and team learning goals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learning_lead import fragments
from reflections import health
from teams import access, coaching, direction_services, selectors
from teams.direction_forms import TeamGoalForm
from teams.models import TeamGoal


def _theme_choices(user, goal: TeamGoal | None = None):
    """The organisation's current themes, plus those the goal already serves."""
    today = timezone.localdate()
    choices = (Q(starts_on__isnull=True) | Q(starts_on__lte=today)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    if goal is not None:
        choices |= Q(team_goals=goal)
    return access.themes_for(user).filter(choices).distinct()


_ANY_ID = 987654321  # stands for a personal goal's id in its path


@login_required
def team_direction(request, pk: int):
    team = access.get_team_for(request.user, pk)
    leads = access.is_supervisor_of(request.user, team)

    def context() -> dict:
        direction = selectors.team_direction(viewer=request.user, team=team, leads=leads)
        hints = []
        if leads:
            held = health.team_participation(team)
            hints = coaching.hints_for_direction(direction, held_sessions=held)
        return {
            "team": team,
            "direction": direction,
            "leads": leads,
            "hints": hints,
            "quiet_days": selectors.QUIET_AFTER.days,
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
            fragments.thoughts(team.pk),  # recent thoughts on each team goal
            fragments.org(team.organization_id),
            fragments.user(request.user.pk),  # the viewer's teams and roles elsewhere
        ],
        # "Quiet for 30 days", the weeks of participation; the team row and the role were
        # read before the generations (see reflections/views/questions.py).
        variant=(timezone.localdate(), leads, team.name),
        per_viewer=True,
    )
    return render(request, "teams/team_direction.html", {"team": team, "body": body})


@login_required
@require_http_methods(["GET", "POST"])
def team_goal_create(request, pk: int):
    """Supervisors set goals; members propose them for the supervisor to accept."""
    team = access.get_team_for(request.user, pk)
    leads = access.is_supervisor_of(request.user, team)
    themes = _theme_choices(request.user)
    form = TeamGoalForm(request.POST or None, themes=themes, with_status=False)
    if request.method == "POST" and form.is_valid():
        direction_services.team_goal_create(team=team, author=request.user, **form.cleaned_data)
        if leads:
            messages.success(request, _("Team goal added."))
        else:
            messages.success(request, _("Thank you: your supervisor will see the proposal."))
        return redirect("teams:direction", pk=team.pk)
    return render(
        request, "teams/team_goal_form.html", {"form": form, "team": team, "leads": leads}
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_goal_edit(request, pk: int):
    goal = access.get_team_goal_for(request.user, pk, manage=True)
    themes = _theme_choices(request.user, goal)
    form = TeamGoalForm(request.POST or None, instance=goal, themes=themes, with_status=True)
    if request.method == "POST" and form.is_valid():
        direction_services.team_goal_update(goal=goal, **form.cleaned_data)
        messages.success(request, _("Team goal saved."))
        return redirect("teams:direction", pk=goal.team_id)
    context = {"form": form, "team": goal.team, "goal": goal, "leads": True}
    return render(request, "teams/team_goal_form.html", context)


@login_required
@require_POST
def team_goal_accept(request, pk: int):
    goal = access.get_team_goal_for(request.user, pk, manage=True)
    if direction_services.team_goal_accept(goal=goal):
        messages.success(request, _("“%(title)s” is now a team goal.") % {"title": goal.title})
    else:
        messages.error(request, _("This goal is no longer waiting for acceptance."))
    return redirect("teams:direction", pk=goal.team_id)
