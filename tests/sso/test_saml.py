"""Signing in through an organisation's SAML 2.0 identity provider: the test plays the
provider, answering our authentication request with a response it signs with its own key."""

import base64
import datetime as dt
import uuid
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.urls import reverse
from lxml import etree
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from privacy.models import AuditEvent
from sso import services
from teams.models import OrgRole, User
from tests.sso.conftest import start

IDP = "https://idp.acme.example/saml"
SSO_URL = "https://idp.acme.example/sso"
EMAIL = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
GIVEN = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"
ROLE = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"


def _key_and_cert() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.acme.example")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


HOST = "ll.acme.test"  # python3-saml takes no single-label host such as "testserver"


@pytest.fixture
def client(settings):
    """A browser: it sends a Host header, as every real one does (python3-saml reads it)."""
    from django.test import Client

    settings.ALLOWED_HOSTS = [HOST]
    return Client(HTTP_HOST=HOST)


@pytest.fixture(scope="module")
def idp_keys() -> tuple[str, str]:
    return _key_and_cert()


def _bare(cert_pem: str) -> str:
    return "".join(line for line in cert_pem.splitlines() if "-----" not in line)


@pytest.fixture
def connection(acme, idp_keys):
    return services.connection_save(
        organization=acme,
        protocol="saml",
        issuer="",
        client_id="",
        client_secret="",
        tenant_id="",
        hosted_domain="",
        email_domains="acme.example",
        admin_claim="LL.Admin",
        hr_claim="LL.HR",
        enabled=True,
        require_sso=False,
        break_glass_admin=None,
        saml_entity_id=IDP,
        saml_sso_url=SSO_URL,
        saml_x509cert=_bare(idp_keys[1]),
    )


def _request_id(client) -> str:
    """Our sign-in form's answer leads to the provider with an authentication request."""
    response = start(client)
    assert response.status_code == 200, response.content
    url = urlsplit(response.context["url"])
    assert f"{url.scheme}://{url.netloc}{url.path}" == SSO_URL
    request = zlib.decompress(base64.b64decode(parse_qs(url.query)["SAMLRequest"][0]), -15)
    return etree.fromstring(request).get("ID")


def _when(delta: dt.timedelta = dt.timedelta()) -> str:
    return (dt.datetime.now(dt.UTC) + delta).strftime("%Y-%m-%dT%H:%M:%SZ")


def _response(
    connection, keys, in_response_to: str | None, name_id: str, attributes: dict, issuer=IDP
) -> str:
    """A SAML response as the provider would POST it, signed with `keys`."""
    org = connection.provider_id
    acs = f"http://{HOST}/accounts/saml/{org}/acs/"
    audience = f"http://{HOST}/accounts/saml/{org}/metadata/"
    answering = f' InResponseTo="{in_response_to}"' if in_response_to else ""
    values = "".join(
        f'<saml:Attribute Name="{name}">'
        + "".join(
            f'<saml:AttributeValue xsi:type="xs:string">{v}</saml:AttributeValue>'
            for v in (vals if isinstance(vals, list) else [vals])
        )
        + "</saml:Attribute>"
        for name, vals in attributes.items()
    )
    xml = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"
 xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0"
 IssueInstant="{_when()}" Destination="{acs}"{answering}>
<saml:Issuer>{issuer}</saml:Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="_{uuid.uuid4().hex}" Version="2.0"
 IssueInstant="{_when()}">
<saml:Issuer>{issuer}</saml:Issuer>
<saml:Subject>
<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{name_id}</saml:NameID>
<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
<saml:SubjectConfirmationData NotOnOrAfter="{_when(dt.timedelta(minutes=5))}"
 Recipient="{acs}"{answering}/>
</saml:SubjectConfirmation>
</saml:Subject>
<saml:Conditions NotBefore="{_when(-dt.timedelta(minutes=1))}"
 NotOnOrAfter="{_when(dt.timedelta(minutes=5))}">
<saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction>
</saml:Conditions>
<saml:AuthnStatement AuthnInstant="{_when()}" SessionIndex="_s{uuid.uuid4().hex}">
<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</saml:AuthnContextClassRef></saml:AuthnContext>
</saml:AuthnStatement>
<saml:AttributeStatement>{values}</saml:AttributeStatement>
</saml:Assertion>
</samlp:Response>"""
    signed = OneLogin_Saml2_Utils.add_sign(
        xml,
        keys[0],
        keys[1],
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    return base64.b64encode(signed).decode()


def _post(client, connection, saml_response: str):
    """The browser carries the provider's answer to our ACS; it hands over to allauth's
    finishing step, which signs the person in or refuses."""
    acs = client.post(
        f"/accounts/saml/{connection.provider_id}/acs/", {"SAMLResponse": saml_response}
    )
    assert acs.status_code == 302, acs.content
    return client.get(acs["Location"])


def sign_in(client, connection, keys, email, attributes=None, **kwargs):
    request_id = _request_id(client)
    attributes = {EMAIL: email} | (attributes or {})
    saml_response = _response(connection, keys, request_id, email, attributes, **kwargs)
    return _post(client, connection, saml_response), saml_response


def test_first_sign_in_creates_the_account_with_the_mapped_role(client, connection, idp_keys):
    response, _ = sign_in(
        client, connection, idp_keys, "anna@acme.example", {GIVEN: "Anna", ROLE: ["LL.HR", "x"]}
    )
    assert response.status_code == 302, response.content
    user = User.objects.get(email="anna@acme.example")
    assert user.organization == connection.organization
    assert user.first_name == "Anna"
    assert not user.has_usable_password()
    assert set(OrgRole.objects.filter(user=user).values_list("role", flat=True)) == {"hr"}
    assert client.get("/").context["user"] == user
    assert AuditEvent.objects.filter(action="sso_signin", subject=user).exists()


def test_existing_account_is_matched_by_email_and_no_role_is_given_by_default(
    client, connection, idp_keys, member
):
    member.email = "mia@acme.example"
    member.save()
    response, _ = sign_in(client, connection, idp_keys, "MIA@acme.example")
    assert response.status_code == 302
    assert client.get("/").context["user"] == member
    assert not OrgRole.objects.filter(user=member).exists()


def test_a_response_signed_with_another_key_is_refused(client, connection):
    response, _ = sign_in(client, connection, _key_and_cert(), "eve@acme.example")
    assert response.status_code == 403
    assert b"did not complete" in response.content
    assert not User.objects.filter(email="eve@acme.example").exists()
    assert "_auth_user_id" not in client.session


def test_another_issuer_is_refused(client, connection, idp_keys):
    response, _ = sign_in(
        client, connection, idp_keys, "ivan@acme.example", issuer="https://evil.example"
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="ivan@acme.example").exists()


def test_wrong_domain_is_refused_and_recorded(client, connection, idp_keys):
    response, _ = sign_in(client, connection, idp_keys, "fay@gmail.example")
    assert response.status_code == 403
    assert b"not in a domain your organisation allows" in response.content
    assert not User.objects.filter(email="fay@gmail.example").exists()
    refused = AuditEvent.objects.get(action="sso_signin_refused")
    assert refused.target == "domain gmail.example"


def test_a_replayed_response_is_refused(client, connection, idp_keys):
    response, saml_response = sign_in(client, connection, idp_keys, "hal@acme.example")
    assert response.status_code == 302
    client.logout()
    replay = _post(client, connection, saml_response)
    assert replay.status_code == 403
    assert b"did not complete" in replay.content
    assert "_auth_user_id" not in client.session


def test_a_sign_in_the_provider_starts_on_its_own_is_refused(client, connection, idp_keys):
    saml_response = _response(
        connection, idp_keys, None, "gus@acme.example", {EMAIL: "gus@acme.example"}
    )
    response = _post(client, connection, saml_response)
    assert response.status_code == 403
    assert b"did not complete" in response.content
    assert not User.objects.filter(email="gus@acme.example").exists()


def test_required_sso_still_blocks_password_sign_in(client, connection, member):
    from tests.conftest import PASSWORD

    connection.require_sso = True
    connection.save()
    response = client.post("/accounts/login/", {"username": member.username, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_admin_configures_saml_with_the_providers_certificate(client, admin, idp_keys):
    client.force_login(admin)
    form = {
        "enabled": "on",
        "protocol": "saml",
        "saml_entity_id": IDP,
        "saml_sso_url": SSO_URL,
        "saml_x509cert": idp_keys[1],  # PEM as the provider's settings offer it
        "email_domains": "acme.example",
        "hosted_domain": "acme.example",  # Google's OIDC claim: no meaning for SAML
    }
    response = client.post("/sso/settings/", form)
    assert response.status_code == 302, response.content
    connection = admin.organization.sso
    assert connection.is_saml and connection.enabled
    assert connection.saml_x509cert == _bare(idp_keys[1])
    assert connection.client_secret_encrypted == "" and connection.hosted_domain == ""
    event = AuditEvent.objects.get(action="sso_config_change")
    assert {"protocol", "saml_entity_id", "saml_x509cert"} <= set(event.target.split(", "))
    page = client.get("/sso/settings/").content.decode()
    # What the admin registers at the provider: our identifier and reply address.
    assert f"http://{HOST}/accounts/saml/org-{admin.organization_id}/metadata/" in page
    assert f"http://{HOST}/accounts/saml/org-{admin.organization_id}/acs/" in page
    audit = client.get(reverse("privacy:audit")).content.decode().split("<tbody>")[1]
    assert "Protocol; " in audit and "signing certificate" in audit
    assert "saml_x509cert" not in audit


def test_saml_settings_need_the_provider_and_a_real_certificate(client, admin):
    client.force_login(admin)
    response = client.post(
        "/sso/settings/",
        {
            "enabled": "on",
            "protocol": "saml",
            "saml_sso_url": SSO_URL,
            "saml_x509cert": "not a certificate",
            "email_domains": "acme.example",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "This is not a certificate" in page
    assert "Needed for SAML." in page  # the entity id
    assert "Give the client secret." not in page  # OpenID Connect's, not SAML's
    assert not hasattr(admin.organization, "sso") or not admin.organization.sso.is_saml


def test_our_metadata_names_our_identifier_and_reply_address(client, connection):
    base = f"http://{HOST}/accounts/saml/{connection.provider_id}"
    response = client.get(f"/accounts/saml/{connection.provider_id}/metadata/")
    assert response.status_code == 200
    metadata = etree.fromstring(response.content)
    assert metadata.get("entityID") == f"{base}/metadata/"
    acs = metadata.find(".//{urn:oasis:names:tc:SAML:2.0:metadata}AssertionConsumerService")
    assert acs.get("Location") == f"{base}/acs/"


def test_an_address_the_provider_says_is_unconfirmed_is_refused(client, connection, idp_keys):
    response, _ = sign_in(
        client, connection, idp_keys, "uma@acme.example", {"email_verified": "false"}
    )
    assert response.status_code == 403
    assert b"did not confirm your e-mail" in response.content
    assert not User.objects.filter(email="uma@acme.example").exists()


def test_groups_map_to_admin_and_the_address_may_come_from_the_name_id(
    client, connection, idp_keys
):
    request_id = _request_id(client)
    saml_response = _response(
        connection, idp_keys, request_id, "ada@acme.example", {"groups": ["LL.Admin"]}
    )
    response = _post(client, connection, saml_response)
    assert response.status_code == 302, response.content
    user = User.objects.get(email="ada@acme.example")
    assert set(OrgRole.objects.filter(user=user).values_list("role", flat=True)) == {"admin"}
