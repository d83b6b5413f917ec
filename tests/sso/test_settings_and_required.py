"""The admin's single sign-on page, required SSO with its break-glass admin, and signing out."""

import pytest

from privacy.models import AuditEvent
from sso import crypto
from sso.models import SsoConnection
from teams.models import OrgRole
from tests.sso.conftest import TENANT, sign_in

PASSWORD = "correct-horse-battery"

FORM = {
    "enabled": "on",
    "protocol": "oidc",
    "issuer": "https://login.microsoftonline.com/abc/v2.0",
    "client_id": "client-1",
    "client_secret": "s3cret-value",
    "tenant_id": "abc",
    "hosted_domain": "",
    "email_domains": "acme.example, @Acme.fi",
    "admin_claim": "LL.Admin",
    "hr_claim": "",
}


def test_admin_configures_the_connection_and_the_secret_is_encrypted(client, admin):
    client.force_login(admin)
    response = client.post("/sso/settings/", FORM)
    assert response.status_code == 302
    connection = SsoConnection.objects.get(organization=admin.organization)
    assert connection.domains() == {"acme.example", "acme.fi"}
    assert "s3cret-value" not in connection.client_secret_encrypted
    assert crypto.decrypt(connection.client_secret_encrypted) == "s3cret-value"
    event = AuditEvent.objects.get(action="sso_config_change")
    assert "client_secret" in event.target and "s3cret" not in event.target
    page = client.get("/sso/settings/")
    assert b"s3cret-value" not in page.content
    assert b"/accounts/oidc/org-" in page.content  # the redirect address to register


def test_empty_secret_keeps_the_stored_one(client, admin):
    client.force_login(admin)
    client.post("/sso/settings/", FORM)
    client.post("/sso/settings/", {**FORM, "client_secret": "", "client_id": "client-2"})
    connection = SsoConnection.objects.get(organization=admin.organization)
    assert connection.client_id == "client-2"
    assert crypto.decrypt(connection.client_secret_encrypted) == "s3cret-value"


def test_requiring_sso_needs_a_break_glass_admin(client, admin):
    client.force_login(admin)
    response = client.post("/sso/settings/", {**FORM, "require_sso": "on"})
    assert response.status_code == 200
    assert b"break-glass admin" in response.content
    assert not SsoConnection.objects.exists()


@pytest.mark.parametrize("persona", ["member", "hr", "supervisor"])
def test_only_the_organisations_admin_sees_the_page(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/sso/settings/").status_code in (403, 404)


def test_without_keys_the_page_says_sso_is_unavailable(client, admin, settings):
    settings.SSO_ENCRYPTION_KEYS = []
    client.force_login(admin)
    response = client.get("/sso/settings/")
    assert b"SSO_ENCRYPTION_KEYS" in response.content
    assert client.post("/sso/settings/", FORM).status_code == 200
    assert not SsoConnection.objects.exists()


@pytest.fixture
def required(connection, admin):
    connection.require_sso = True
    connection.break_glass_admin = admin
    connection.save()
    return connection


def _password_sign_in(client, user):
    user.set_password(PASSWORD)
    user.save()
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})


def test_required_sso_blocks_password_sign_in(client, required, member):
    response = _password_sign_in(client, member)
    assert response.status_code == 200
    assert b"signs in with its identity provider" in response.content
    assert "_auth_user_id" not in client.session


def test_break_glass_admin_still_signs_in_with_a_password(client, required, admin):
    response = _password_sign_in(client, admin)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


def test_other_organisations_keep_password_sign_in(client, required, foreigner):
    assert _password_sign_in(client, foreigner).status_code == 302


def test_required_sso_still_lets_members_in_through_the_provider(client, required, idp):
    claims = {"email": "ida@acme.example", "email_verified": True, "tid": TENANT}
    response, _ = sign_in(client, idp, "sub-ida", **claims)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_signing_out_after_sso_says_the_provider_session_remains(client, connection, idp):
    claims = {"email": "joe@acme.example", "email_verified": True, "tid": TENANT}
    claims["roles"] = ["LL.Admin"]
    sign_in(client, idp, "sub-joe", **claims)
    assert OrgRole.objects.filter(user__email="joe@acme.example", role="admin").exists()
    response = client.post("/accounts/logout/", follow=True)
    assert "_auth_user_id" not in client.session
    assert b"still signed in to your organisation" in response.content


def test_signing_out_after_password_goes_to_the_sign_in_page(client, member):
    client.force_login(member)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"


def test_another_organisations_admin_sees_only_their_own_settings(client, connection, foreigner):
    client.force_login(foreigner)
    response = client.get("/sso/settings/")
    assert response.status_code == 200
    assert connection.client_id.encode() not in response.content


def test_rotating_keys_keeps_the_secret_readable_under_the_new_key(connection, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old = settings.SSO_ENCRYPTION_KEYS
    settings.SSO_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *old]
    call_command("rotate_sso_keys", stdout=None)
    settings.SSO_ENCRYPTION_KEYS = settings.SSO_ENCRYPTION_KEYS[:1]
    connection.refresh_from_db()
    assert crypto.decrypt(connection.client_secret_encrypted) == "very-secret"
    rotation = AuditEvent.objects.get(target="key_rotation")
    assert rotation.organization_id == connection.organization_id
    assert rotation.action == "sso_config_change"


def test_break_glass_admin_must_belong_to_the_organisation(acme, foreigner):
    from sso import services

    with pytest.raises(ValueError):
        services.connection_save(
            organization=acme,
            issuer="https://idp.example",
            client_id="c",
            client_secret="s",
            tenant_id="",
            hosted_domain="",
            email_domains="acme.example",
            admin_claim="",
            hr_claim="",
            enabled=True,
            require_sso=True,
            break_glass_admin=foreigner,
        )
