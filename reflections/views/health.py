"""Rhythm health: the supervisor's one page across every team they lead."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reflections import health
from teams import access
from teams.selectors import QUIET_AFTER


@login_required
@require_GET
def rhythm_health(request):
    access.require_supervisor(request.user)
    context = {
        "teams": health.rhythm_health(user=request.user),
        "weeks": health.WEEKS,
        "quiet_days": QUIET_AFTER.days,
        "chart": {
            "width": health.CHART_WIDTH,
            "height": health.CHART_HEIGHT,
            "left": health.CHART_LEFT,
            "right": health.CHART_WIDTH - health.CHART_RIGHT,
            "base": health.CHART_BASE,
            "grid": health.CHART_GRID,
        },
    }
    return render(request, "reflections/health.html", context)
