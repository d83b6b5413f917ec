"""Project-level pages: the dashboard, the health check, the benchmark's floor page and the
answer to an error."""

import sys
import time

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import Error as DatabaseError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from learning_lead import fragments, redis_cache, setup_checklist
from reflections import selectors
from teams import access
from teams import selectors as team_selectors


@login_required
def home(request):
    user = request.user

    def context() -> dict:
        return {
            "memberships": team_selectors.memberships_of(user),
            "upcoming": selectors.upcoming_sessions_for(user),
        }

    teams = team_selectors.team_ids_of(user.pk)
    body = fragments.render(
        request,
        "home_body.html",
        context,
        scopes=[fragments.user(user.pk)] + [fragments.team(team_id) for team_id in teams],
        # A session that has ended leaves the list within five minutes.
        variant=int(time.time()) // 300,
        per_viewer=True,
    )
    setup = setup_checklist.open_checklist(user.organization_id) if access.is_admin(user) else None
    return render(request, "home.html", {"body": body, "setup": setup})


@login_required
def bench_floor(request):
    """The least a signed-in page costs: the base layout and one indexed query. The load
    benchmark compares the main pages' throughput with this page's (bench/README.md); it
    answers 404 unless BENCH_FLOOR is on."""
    if not settings.BENCH_FLOOR:
        raise Http404
    teams = team_selectors.membership_count(request.user)
    return render(request, "bench_floor.html", {"teams": teams})


@never_cache
@require_GET
def healthz(request):
    """200 with whether the database and the broker answer (load balancers read the body)."""
    database = _database_answers()
    broker = _broker_answers() if settings.REDIS_URL or settings.REDIS_SENTINELS else None
    body = {
        "status": "ok" if database and broker in (True, None) else "degraded",
        "database": database,
        "broker": broker if broker is not None else "eager",
    }
    return JsonResponse(body)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _broker_answers() -> bool:
    try:
        client = redis_cache.client(socket_connect_timeout=1, socket_timeout=1)
        return bool(client.ping())
    except redis.RedisError:
        return False


def server_error(request):
    """Django's 500 page, or a 503 when the error is Redis being unreachable (a failover): what
    needs the cache to stay correct was refused (ending a session, a write whose cached pages
    must be forgotten, the sign-up and reset limits), and trying again in a moment works.
    Django saves no session on a 5xx answer, so nothing of it is half done."""
    error = sys.exception()
    if not redis_cache.is_unreachable(error):
        return defaults.server_error(request)
    redis_cache.unreachable(error)
    # No request context: nothing on the page needs the person (or their session).
    response = HttpResponse(loader.render_to_string("unavailable.html"), status=503)
    response["Retry-After"] = "5"
    add_never_cache_headers(response)
    return response
