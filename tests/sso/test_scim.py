"""SCIM 2.0 provisioning: the organisation's identity provider creates, changes, deactivates
and removes people (checked with scim2-tester through Django's WSGI application)."""

import json

import pytest
from django.contrib.sessions.models import Session
from django.core.wsgi import get_wsgi_application
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status, check_server

from privacy.models import AuditEvent
from sso import services
from teams.models import Membership, OrgRole, User

JSON = "application/scim+json"


@pytest.fixture
def token(connection) -> str:
    return services.scim_token_issue(connection=connection)


def _auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def _post(client, token, payload):
    return client.post("/scim/v2/Users", json.dumps(payload), content_type=JSON, **_auth(token))


PAYLOAD = {
    "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
    "userName": "kim@acme.example",
    "name": {"givenName": "Kim", "familyName": "Koski"},
    "emails": [{"value": "kim@acme.example", "primary": True}],
    "active": True,
}


@pytest.mark.django_db(transaction=True)
def test_scim2_tester_round_trip(connection):
    token = services.scim_token_issue(connection=connection)
    client = WSGISCIMClient(
        get_wsgi_application(),
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {token}"},
    )
    results = check_server(client, include_tags={"discovery", "crud"})
    failures = [r for r in results if r.status in (Status.ERROR, Status.CRITICAL)]
    assert results and not failures, "\n".join(f"{r.title}: {r.reason}" for r in failures)


def test_without_the_token_nothing_is_answered(client, token, member):
    assert client.get("/scim/v2/Users").status_code == 401
    assert client.get("/scim/v2/Users", **_auth("wrong")).status_code == 401


def test_create_update_deactivate(client, token, connection, team_a, supervisor):
    created = _post(client, token, PAYLOAD)
    assert created.status_code == 201
    person = User.objects.get(username="kim@acme.example")
    assert person.organization == connection.organization
    assert not person.has_usable_password()
    Membership.objects.create(team=team_a, user=person)
    OrgRole.objects.create(organization=connection.organization, user=person, role="hr")
    client.force_login(person)
    assert Session.objects.exists()

    found = client.get(
        '/scim/v2/Users?filter=userName eq "kim@acme.example"', **_auth(token)
    ).json()
    assert found["totalResults"] == 1

    patch = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "replace", "path": "active", "value": False}],
    }
    response = client.patch(
        f"/scim/v2/Users/{person.pk}", json.dumps(patch), content_type=JSON, **_auth(token)
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert not person.is_active
    assert not Membership.objects.filter(user=person).exists()
    assert not OrgRole.objects.filter(user=person).exists()
    assert not Session.objects.filter(session_key=client.session.session_key).exists()
    actions = AuditEvent.objects.filter(action="scim_change", subject=person)
    assert set(actions.values_list("target", flat=True)) >= {"create", "deactivate"}


def test_people_of_other_organisations_are_invisible(client, token, foreigner):
    assert client.get(f"/scim/v2/Users/{foreigner.pk}", **_auth(token)).status_code == 404
    listing = client.get("/scim/v2/Users", **_auth(token)).json()
    assert str(foreigner.pk) not in {r["id"] for r in listing.get("Resources", [])}
