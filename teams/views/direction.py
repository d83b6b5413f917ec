"""Team learning goals: setting, editing and accepting them (the direction page that shows
them is reflections/views/direction.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from teams import access, direction_services
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
        return redirect("reflections:team_direction", pk=team.pk)
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
        return redirect("reflections:team_direction", pk=goal.team_id)
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
    return redirect("reflections:team_direction", pk=goal.team_id)
