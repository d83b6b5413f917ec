"""The direction view and my learning show only thoughts on team goals (``goal-thoughts:T``):
a thought on no goal leaves them cached, one on a goal shows at once (docs/caching.md)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reflections import services
from teams import direction_services
from tests.reflections.writer_filled import client_for


def _queries(client, url) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_thought_on_no_goal_leaves_direction_and_my_learning_cached(member, supervisor, team_a):
    goal = direction_services.team_goal_create(
        team=team_a, author=supervisor, title="Faster reviews", why="Less waiting", themes=[]
    )
    client = client_for(member)
    pages = [
        reverse("reflections:team_direction", args=[team_a.pk]),
        reverse("reflections:my_learning"),
    ]
    cached = {}
    for url in pages:
        _queries(client, url)
        cached[url] = _queries(client, url)[1]  # served from the cache
    services.thought_post(author=member, team=team_a, kind="insight", body="Lunch was good")
    for url in pages:
        assert _queries(client, url)[1] == cached[url], url  # still served from the cache
    services.thought_post(
        author=member, team=team_a, kind="tried", body="Paired on a review", team_goal=goal
    )
    page, count = _queries(client, pages[0])
    assert "Paired on a review" in page and count > cached[pages[0]]
