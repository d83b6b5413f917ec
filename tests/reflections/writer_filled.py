"""What the writer-filled pages' tests share (test_question_page.py, test_session_page.py)."""

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fragment_keys() -> set[bytes]:
    """The cached fragments and generations (sign-ins add sessions)."""
    return set(cache._cache.get_client().keys("*fragment*"))


def fetch(client, url, model) -> tuple[str, bool]:
    """The page, and whether rendering it read the model's table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    table = f'"{model._meta.db_table}"'
    return response.content.decode(), any(table in q["sql"] for q in queries)
