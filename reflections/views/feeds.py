"""Calendar feeds: the page with the links, the secret .ics URLs, and resetting them."""

import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from learning_lead import fragments
from learning_lead.db_router import replica_reads
from learning_lead.languages import language_for
from reflections import access as reflections_access
from reflections import ics, services
from teams import access


@login_required
def calendar_links(request):
    user = request.user
    teams = list(access.teams_for(user).order_by("name"))
    feeds = services.feeds_for_teams(user=user, teams=teams)
    context = {
        "my_feed": services.feed_for_user(user=user),
        "team_feeds": [(team, feeds[team.pk]) for team in teams],
    }
    return render(request, "reflections/calendar.html", context)


@require_GET
@replica_reads()
def feed(request, token: str):
    """The .ics feed; the secret token in the URL is the only credential calendar apps send."""
    found = reflections_access.get_calendar_feed(token)
    teams, language = access.teams_for(found.user), language_for(found.user)
    if found.team_id is None:
        name = "Learning Lead"
        scopes = itertools.chain([fragments.user(found.user_id)], _team_scopes(teams))
    else:
        # The owner's link to one team works only while they are in it.
        if not teams.filter(pk=found.team_id).exists():
            raise Http404
        teams, name = [found.team_id], f"{found.team.name} · Learning Lead"
        scopes = [fragments.team(found.team_id)]
    with translation.override(language):
        # Calendar apps poll: the feed is built once per change of its teams' sessions (and
        # each day, as its window moves), not on every poll.
        body = fragments.text(
            f"ics:{found.pk}",
            lambda: ics.calendar_for(teams, name=name),
            scopes=scopes,
            variant=timezone.now().date(),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="learning-lead.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def _team_scopes(teams):
    """The teams' scopes, read only when the feed is looked up in the cache: the query for
    the feed's sessions reads the teams itself."""
    yield from map(fragments.team, teams.values_list("pk", flat=True))


@login_required
@require_POST
def feed_reset_mine(request):
    services.feed_reset(feed=services.feed_for_user(user=request.user))
    messages.success(request, _("Your calendar link is new. Add it to your calendar again."))
    return redirect("reflections:calendar")


@login_required
@require_POST
def feed_reset_team(request, pk: int):
    team = access.get_team_for(request.user, pk)
    services.feed_reset(feed=services.feed_for_team(user=request.user, team=team))
    messages.success(
        request,
        _("Your calendar link for %(team)s is new. Add it to your calendar again.")
        % {"team": team.name},
    )
    return redirect("reflections:calendar")
