"""Reminder preferences and the one-click unsubscribe link from e-mails."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications import selectors, services
from notifications.forms import PreferencesForm
from teams import access


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    user = request.user
    current = services.settings_for(user)
    initial = {
        "lead_minutes": current.lead_minutes,
        "by_email": current.by_email,
        "in_app": current.in_app,
        "nudges": current.nudges,
        "lapse_alerts": current.lapse_alerts,
        "muted_teams": selectors.muted_team_ids(user),
    }
    teams = access.teams_for(user).order_by("name")
    leads = access.leads_a_team(user)
    form = PreferencesForm(request.POST or None, initial=initial, teams=teams, leads=leads)
    if request.method == "POST" and form.is_valid():
        # Someone who leads no team does not see the lapse setting; it stays as it was.
        services.preferences_update(
            user=user, **({"lapse_alerts": current.lapse_alerts} | form.cleaned_data)
        )
        messages.success(request, _("Reminder preferences saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST without a session; the signed token is the proof.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        user = services.user_from_unsubscribe_token(token)
    except services.UnsubscribeExpired:
        context = {"max_age_days": settings.UNSUBSCRIBE_MAX_AGE_DAYS}
        return render(request, "notifications/unsubscribe_expired.html", context, status=410)
    except services.UnsubscribeInvalid:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.unsubscribe(user=user)
        return render(request, "notifications/unsubscribed.html")
    # A GET (a link scanner, or a person clicking) only asks; it changes nothing.
    return render(request, "notifications/unsubscribe.html", {"token": token})
