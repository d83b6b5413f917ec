"""Planning a team's rhythm, with a live preview of the next dates (htmx, or a Preview button)."""

from datetime import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reflections import access as reflections_access
from reflections import rhythm_templates, services
from reflections.forms import RhythmForm
from reflections.models import Rhythm
from teams import access


@login_required
@require_http_methods(["GET", "POST"])
def rhythm_create(request, pk: int):
    team = access.get_led_team_for(request.user, pk)
    initial = {
        "title": _("Team reflection"),
        "time_zone": team.time_zone,
        "start_date": timezone.localdate(),
        "start_time": time(9, 0),
        "weekday": timezone.localdate().weekday(),
        "frequency": Rhythm.Frequency.WEEKLY,
    } | rhythm_templates.initial_for(request.GET.get("template"))
    form = RhythmForm(request.POST or None, initial=initial)
    if not form.is_bound:
        form.show_preview(Rhythm(**initial))
    return _plan(request, form, team=team, rhythm=None)


@login_required
@require_http_methods(["GET", "POST"])
def rhythm_edit(request, pk: int):
    rhythm = reflections_access.get_rhythm_for(request.user, pk)
    form = RhythmForm(request.POST or None, instance=rhythm)
    return _plan(request, form, team=rhythm.team, rhythm=rhythm)


def _plan(request, form: RhythmForm, *, team, rhythm):
    context = {
        "form": form,
        "team": team,
        "rhythm": rhythm,
        "templates": rhythm_templates.TEMPLATES.values(),
    }
    previewing = request.htmx or "preview" in request.POST
    if request.method == "POST" and form.is_valid() and not previewing:
        if rhythm is None:
            rhythm = services.rhythm_create(team=team, **form.cleaned_data)
            messages.success(request, _("Rhythm planned. The sessions are in the calendar."))
        else:
            services.rhythm_update(rhythm=rhythm, **form.cleaned_data)
            messages.success(request, _("Rhythm saved. Upcoming sessions follow the change."))
        return redirect("reflections:team_sessions", pk=team.pk)
    if rhythm is not None and not form.is_bound:
        form.show_preview(rhythm)
    template = "reflections/rhythm_form.html"
    if request.htmx:
        template += "#preview"
    return render(request, template, context)
