"""An OpenID Connect provider running in the test process (oidc-provider-mock) and an
organisation connected to it."""

from urllib.parse import urlsplit

import pytest
import requests
from cryptography.fernet import Fernet
from oidc_provider_mock import run_server_in_thread

from sso import services
from sso.models import SsoConnection

TENANT = "tenant-acme"


@pytest.fixture(scope="session")
def idp():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(autouse=True)
def _sso_keys(settings):
    settings.SSO_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]


@pytest.fixture
def connection(acme, idp) -> SsoConnection:
    return services.connection_save(
        organization=acme,
        issuer=idp,
        client_id="learning-lead",
        client_secret="very-secret",
        tenant_id=TENANT,
        hosted_domain="",
        email_domains="acme.example",
        admin_claim="LL.Admin",
        hr_claim="LL.HR",
        enabled=True,
        require_sso=False,
        break_glass_admin=None,
    )


def idp_user(idp: str, sub: str, **claims) -> None:
    """The person the provider vouches for when asked to sign in `sub`."""
    response = requests.put(f"{idp}/users/{sub}", json=claims, timeout=5)
    response.raise_for_status()


def start(client, organisation: str = "acme"):
    """Our sign-in page's SSO form: the answer sends the browser to the provider."""
    return client.post("/sso/start/", {"organisation": organisation})


def provider_url(response) -> str:
    """The provider's address the answer to our SSO form leads the browser to."""
    assert response.status_code == 200, response.content
    return response.context["url"]


def provider_answer(authorize_url: str, sub: str) -> str:
    """The provider's sign-in form submitted for `sub`: the callback path with code and
    state, as the browser would follow it back to us."""
    response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["Location"])
    return f"{location.path}?{location.query}"


def sign_in(client, idp: str, sub: str, organisation: str = "acme", **claims):
    if claims:
        idp_user(idp, sub, **claims)
    callback = provider_answer(provider_url(start(client, organisation)), sub)
    return client.get(callback), callback
