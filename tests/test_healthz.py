"""/healthz reports whether the database and the broker answer."""

from django.db.utils import OperationalError
from django.urls import reverse


def test_healthz_says_database_and_broker_answer(client, db, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "broker": True}


def test_healthz_without_a_reachable_database(client, db, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("learning_lead.views.connection.cursor", unreachable)
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["database"] is False
    assert response.json()["status"] == "degraded"


def test_healthz_without_a_reachable_broker(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    body = client.get(reverse("healthz")).json()
    assert body["broker"] is False
    assert body["status"] == "degraded"


def test_healthz_in_eager_mode_has_no_broker_to_ask(client, db, settings):
    settings.REDIS_URL = ""
    assert client.get(reverse("healthz")).json()["broker"] == "eager"
