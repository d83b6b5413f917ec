"""Signing in through the organisation's identity provider (a real OIDC flow against
oidc-provider-mock in this process)."""

from privacy.models import AuditEvent
from sso.models import SsoConnection
from teams.models import Invitation, OrgRole, User
from tests.sso.conftest import TENANT, provider_url, sign_in, start


def _claims(email, **extra):
    return {"email": email, "email_verified": True, "tid": TENANT, **extra}


def test_first_sign_in_creates_the_account_with_the_mapped_role(client, connection, idp):
    response, _ = sign_in(
        client, idp, "sub-anna", **_claims("anna@acme.example", roles=["LL.HR"], given_name="Anna")
    )
    assert response.status_code == 302
    user = User.objects.get(email="anna@acme.example")
    assert user.organization == connection.organization
    assert user.first_name == "Anna"
    assert not user.has_usable_password()
    assert set(OrgRole.objects.filter(user=user).values_list("role", flat=True)) == {"hr"}
    assert client.get("/").context["user"] == user
    assert AuditEvent.objects.filter(action="sso_signin", subject=user).exists()


def test_no_role_is_granted_by_default(client, connection, idp):
    sign_in(client, idp, "sub-ben", **_claims("ben@acme.example", groups=["Everyone"]))
    user = User.objects.get(email="ben@acme.example")
    assert not OrgRole.objects.filter(user=user).exists()


def test_second_sign_in_uses_the_same_account(client, connection, idp):
    sign_in(client, idp, "sub-cai", **_claims("cai@acme.example"))
    client.logout()
    response, _ = sign_in(client, idp, "sub-cai")
    assert response.status_code == 302
    assert User.objects.filter(email="cai@acme.example").count() == 1
    assert client.get("/").context["user"].email == "cai@acme.example"


def test_existing_account_is_matched_by_verified_email(client, connection, idp, member):
    member.email = "mia@acme.example"
    member.save()
    sign_in(client, idp, "sub-mia", **_claims("MIA@acme.example"))
    assert client.get("/").context["user"] == member


def test_pending_invitation_is_accepted(client, connection, idp, admin, team_a):
    Invitation.objects.create(
        organization=connection.organization, email="dan@acme.example", team=team_a
    )
    sign_in(client, idp, "sub-dan", **_claims("dan@acme.example"))
    user = User.objects.get(email="dan@acme.example")
    assert user.teams.get() == team_a
    assert Invitation.objects.get(email="dan@acme.example").is_accepted


def test_wrong_tenant_is_refused_with_a_clear_page(client, connection, idp):
    response, _ = sign_in(client, idp, "sub-eve", **_claims("eve@acme.example", tid="other"))
    assert response.status_code == 403
    assert b"not in the directory" in response.content
    assert not User.objects.filter(email="eve@acme.example").exists()


def test_wrong_domain_is_refused(client, connection, idp):
    response, _ = sign_in(client, idp, "sub-fay", **_claims("fay@gmail.example"))
    assert response.status_code == 403
    assert b"not in a domain your organisation allows" in response.content
    assert not User.objects.filter(email="fay@gmail.example").exists()
    refused = AuditEvent.objects.get(action="sso_signin_refused")
    assert refused.organization_id == connection.organization_id
    assert refused.target == "domain gmail.example"  # the domain only, not the address
    assert refused.subject is None


def test_unverified_email_is_refused(client, connection, idp, member):
    member.email = "gus@acme.example"
    member.save()
    claims = _claims("gus@acme.example", email_verified=False)
    response, _ = sign_in(client, idp, "sub-gus", **claims)
    assert response.status_code == 403
    assert b"did not confirm your e-mail" in response.content
    assert "_auth_user_id" not in client.session
    # An unconfirmed address names nobody in the trail: anyone could have typed it.
    refused = AuditEvent.objects.get(action="sso_signin_refused")
    assert (refused.target, refused.subject) == ("unverified acme.example", None)


def test_account_of_another_organisation_is_not_taken_over(client, connection, idp, foreigner):
    foreigner.email = "olga@acme.example"
    foreigner.save()
    response, _ = sign_in(client, idp, "sub-olga", **_claims("olga@acme.example"))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    refused = AuditEvent.objects.get(action="sso_signin_refused")
    assert refused.organization_id == connection.organization_id
    assert refused.subject is None  # the other organisation's person stays out of this trail


def test_replayed_state_is_refused(client, connection, idp):
    response, callback = sign_in(client, idp, "sub-hal", **_claims("hal@acme.example"))
    assert response.status_code == 302
    client.logout()
    replay = client.get(callback)
    assert replay.status_code == 403
    assert b"did not complete" in replay.content
    assert "_auth_user_id" not in client.session
    # Anyone can send a stale link: it writes no audit row.
    assert not AuditEvent.objects.filter(action="sso_signin_refused").exists()


def test_unknown_organisation_goes_back_to_the_sign_in_page(client, connection):
    response = start(client, "nobody@elsewhere.example")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_start_by_work_email_domain(client, connection, idp):
    response = start(client, "someone@acme.example")
    assert provider_url(response).startswith(idp)


def test_secret_is_encrypted_at_rest(connection):
    stored = SsoConnection.objects.get(pk=connection.pk).client_secret_encrypted
    assert stored and "very-secret" not in stored


def test_entra_domain_verified_claim_counts_as_verified(client, connection, idp):
    claims = {"email": "kai@acme.example", "xms_edov": True, "tid": TENANT}
    response, _ = sign_in(client, idp, "sub-kai", **claims)
    assert response.status_code == 302
    assert User.objects.filter(email="kai@acme.example").exists()


def test_refusal_page_speaks_finnish(client, connection, idp):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fi"
    response, _ = sign_in(client, idp, "sub-lea", **_claims("lea@gmail.example"))
    assert response.status_code == 403
    assert "Kirjautuminen estetty" in response.content.decode()
    assert "verkkotunnuksessa" in response.content.decode()


def test_the_page_asked_for_is_shown_after_sign_in(client, connection, idp):
    from tests.sso.conftest import idp_user, provider_answer

    idp_user(idp, "sub-max", **_claims("max@acme.example"))
    response = client.post("/sso/start/", {"organisation": "acme", "next": "/learning/"})
    callback = provider_answer(provider_url(response), "sub-max")
    assert client.get(callback)["Location"] == "/learning/"


def test_provider_login_page_asks_before_leaving(client, connection):
    response = client.get(f"/accounts/oidc/{connection.provider_id}/login/")
    assert response.status_code == 200
    assert b"Continue to your identity provider" in response.content


def test_switched_off_account_is_refused_and_named_in_the_audit_trail(
    client, connection, idp, member
):
    member.email = "ivy@acme.example"
    member.is_active = False
    member.save()
    response, _ = sign_in(client, idp, "sub-ivy", **_claims("ivy@acme.example"))
    assert response.status_code == 403
    assert b"turned off" in response.content
    refused = AuditEvent.objects.get(action="sso_signin_refused")
    assert (refused.target, refused.subject) == ("inactive acme.example", member)
