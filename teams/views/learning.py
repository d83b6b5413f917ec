"""A person's own goals and progress check-ins (the "my learning" page that lists them is
reflections/views/direction.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from teams import access, direction_services
from teams.direction_forms import CheckInForm, PersonalGoalForm
from teams.models import PersonalGoal, TeamGoal


def _team_goal_choices(user, goal: PersonalGoal | None = None):
    """Active goals of the person's teams, plus the one the goal already links to."""
    choices = Q(status=TeamGoal.Status.ACTIVE)
    if goal is not None and goal.team_goal_id:
        choices |= Q(pk=goal.team_goal_id)
    return access.team_goals_for(user).filter(choices)


@login_required
@require_http_methods(["GET", "POST"])
def personal_goal_create(request):
    form = PersonalGoalForm(
        request.POST or None,
        team_goals=_team_goal_choices(request.user),
        with_status=False,
        initial={"team_goal": request.GET.get("team_goal")},
    )
    if request.method == "POST" and form.is_valid():
        goal = direction_services.personal_goal_create(owner=request.user, **form.cleaned_data)
        messages.success(request, _("Goal added. Check in whenever something moves."))
        return redirect("teams:personal_goal", pk=goal.pk)
    return render(request, "teams/personal_goal_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def personal_goal_edit(request, pk: int):
    goal = access.get_personal_goal_for(request.user, pk, edit=True)
    form = PersonalGoalForm(
        request.POST or None,
        instance=goal,
        team_goals=_team_goal_choices(request.user, goal),
        with_status=True,
    )
    if request.method == "POST" and form.is_valid():
        direction_services.personal_goal_update(goal=goal, **form.cleaned_data)
        messages.success(request, _("Goal saved."))
        return redirect("teams:personal_goal", pk=goal.pk)
    return render(request, "teams/personal_goal_form.html", {"form": form, "goal": goal})


@login_required
def personal_goal_detail(request, pk: int):
    goal = access.get_personal_goal_for(request.user, pk)
    return _render_detail(request, goal, _new_checkin_form(goal, request.user))


@login_required
@require_POST
def checkin_create(request, pk: int):
    goal = access.get_personal_goal_for(request.user, pk, edit=True)
    form = CheckInForm(request.POST, goal=goal)
    if form.is_valid():
        direction_services.checkin_create(goal=goal, **form.cleaned_data)
        if not request.htmx:
            messages.success(request, _("Check-in saved."))
            return redirect("teams:personal_goal", pk=goal.pk)
        return _render_detail(request, goal, _new_checkin_form(goal, request.user), saved=True)
    return _render_detail(request, goal, form)


def _new_checkin_form(goal: PersonalGoal, user) -> CheckInForm | None:
    if goal.owner_id != user.pk:
        return None
    return CheckInForm(initial={"day": timezone.localdate()}, goal=goal)


def _render_detail(request, goal: PersonalGoal, form: CheckInForm | None, saved: bool = False):
    template = "teams/personal_goal_detail.html"
    if request.htmx:
        template += "#checkins"
    context = {
        "goal": goal,
        "checkins": goal.checkins.order_by("-day", "-created_at"),
        "form": form,
        "is_owner": goal.owner_id == request.user.pk,
        "saved": saved,
    }
    return render(request, template, context)
