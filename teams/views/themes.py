"""Strategy themes: HR and organisation admins keep the organisation's list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from teams import access, direction_services
from teams.direction_forms import ThemeForm
from teams.models import TeamGoal


@login_required
def theme_list(request):
    access.require_theme_manager(request.user)
    # Only a count of team goals: HR sees direction in aggregate, never individual goals.
    # Ordered here: Django drops the model's default ordering from a GROUP BY query, which
    # left the list in the database's order (themes with order 0 last, against the help text).
    themes = (
        access.themes_for(request.user)
        .annotate(
            goal_count=Count("team_goals", filter=Q(team_goals__status=TeamGoal.Status.ACTIVE))
        )
        .order_by("order", "title", "pk")
    )
    return render(request, "teams/theme_list.html", {"themes": themes})


@login_required
@require_http_methods(["GET", "POST"])
def theme_create(request):
    access.require_theme_manager(request.user)
    form = ThemeForm(request.POST or None)
    form.instance.organization = request.user.organization
    if request.method == "POST" and form.is_valid():
        theme = direction_services.theme_create(
            organization=request.user.organization, **form.cleaned_data
        )
        messages.success(request, _("Theme “%(title)s” added.") % {"title": theme.title})
        return redirect("teams:themes")
    return render(request, "teams/theme_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def theme_edit(request, pk: int):
    theme = access.get_theme_for(request.user, pk)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        direction_services.theme_update(theme=theme, **form.cleaned_data)
        messages.success(request, _("Theme saved."))
        return redirect("teams:themes")
    return render(request, "teams/theme_form.html", {"form": form, "theme": theme})
