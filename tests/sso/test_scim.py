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
    results = check_server(client, include_tags={"discovery", "crud", "patch"})
    failures = [r for r in results if r.status in (Status.ERROR, Status.CRITICAL)]
    assert results and not failures, "\n".join(f"{r.title}: {r.reason}" for r in failures)
    # The PATCH checks ran (not skipped) on every attribute the published schema offers them.
    patched = {
        (r.title, r.data["urn"])
        for r in results
        if r.status == Status.SUCCESS and r.title.startswith("check_") and r.data
    }
    for attribute in ("name", "emails", "externalId"):
        for check in ("check_add_attribute", "check_replace_attribute", "check_remove_attribute"):
            assert (check, attribute) in patched
    assert {("check_replace_attribute", "active"), ("check_replace_attribute", "userName")} <= (
        patched
    )


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


def _patch(client, token, person, *operations):
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": operations}
    response = client.patch(
        f"/scim/v2/Users/{person.pk}", json.dumps(body), content_type=JSON, **_auth(token)
    )
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    return response.json()


def test_entra_id_style_requests_change_what_is_kept(client, token):
    """Entra ID sends the enterprise extension and attributes we do not keep, capitalised
    operations, "False" as a string and a filtered e-mail path."""
    enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    payload = PAYLOAD | {
        "schemas": [*PAYLOAD["schemas"], enterprise],
        "emails": [{"value": "kim@acme.example", "type": "work", "primary": True}],
        "title": "Lead",
        "phoneNumbers": [{"value": "+358 40 123", "type": "work"}],
        enterprise: {"department": "Care", "employeeNumber": "42"},
    }
    assert _post(client, token, payload).status_code == 201
    person = User.objects.get(username="kim@acme.example")

    _patch(client, token, person, {"op": "Replace", "path": "active", "value": "False"})
    assert not person.is_active
    _patch(client, token, person, {"op": "Replace", "path": "active", "value": "True"})
    assert person.is_active
    path = 'emails[type eq "work"].value'
    _patch(client, token, person, {"op": "replace", "path": path, "value": "kim.k@acme.example"})
    assert person.email == "kim.k@acme.example"
    _patch(client, token, person, {"op": "Add", "path": "name.givenName", "value": "Kimmo"})
    answer = _patch(
        client, token, person, {"op": "replace", "value": {"name.familyName": "Koskinen"}}
    )
    assert (person.first_name, person.last_name) == ("Kimmo", "Koskinen")
    assert answer["name"] == {"givenName": "Kimmo", "familyName": "Koskinen"}
    # What is not kept is accepted and not answered back as if it were.
    answer = _patch(
        client,
        token,
        person,
        {"op": "Add", "path": "title", "value": "Chief"},
        {"op": "Replace", "path": f"{enterprise}:department", "value": "Quality"},
    )
    assert "title" not in answer and enterprise not in answer
    _patch(client, token, person, {"op": "remove", "path": "name"})
    assert (person.first_name, person.last_name) == ("", "")
    assert "name" not in client.get(f"/scim/v2/Users/{person.pk}", **_auth(token)).json()


def test_the_published_schema_is_what_is_kept(client, token):
    schema = client.get(
        "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", **_auth(token)
    ).json()
    assert schema["name"] == "User"
    attributes = {a["name"]: a for a in schema["attributes"]}
    assert set(attributes) == {"userName", "name", "active", "emails"}
    assert {a["name"] for a in attributes["name"]["subAttributes"]} == {"givenName", "familyName"}
