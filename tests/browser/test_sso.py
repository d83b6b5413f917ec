"""Single sign-on in a real browser: an organisation admin configures OpenID Connect and a
member signs in through the provider (oidc-provider-mock in this process), in Finnish and in
English."""

import pytest
import requests
from cryptography.fernet import Fernet
from oidc_provider_mock import run_server_in_thread
from playwright.sync_api import expect

from teams import services
from teams.models import Organization, OrgRole, User

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Admin-password-123"
TEXT = {
    "fi": {"save": "Tallenna", "sso": "Jatka tunnistuspalveluun", "saved": "tallennettu"},
    "en": {"save": "Save", "sso": "Continue to your identity provider", "saved": "saved"},
}


@pytest.fixture(scope="module")
def idp():
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_admin_configures_oidc_and_a_member_signs_in(
    open_context, live_server, idp, settings, lang
):
    settings.SSO_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    organization = Organization.objects.create(name="Acme", slug="acme", language=lang)
    admin = User.objects.create_user(
        username="boss", password=PASSWORD, organization=organization, language=lang
    )
    services.org_roles_set(user=admin, roles={OrgRole.Role.ADMIN})

    page = open_context(lang=lang)
    page.goto("/accounts/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    page.goto("/sso/settings/")
    page.check("#id_enabled")
    page.fill("#id_issuer", idp)
    page.fill("#id_client_id", "learning-lead")
    page.fill("#id_client_secret", "s3cret")
    page.fill("#id_tenant_id", "tenant-1")
    page.fill("#id_email_domains", "acme.example")
    page.fill("#id_hr_claim", "LL.HR")
    page.get_by_role("button", name=TEXT[lang]["save"], exact=True).click()
    expect(page.get_by_text(TEXT[lang]["saved"])).to_be_visible()

    claims = {"email": "mia@acme.example", "email_verified": True, "tid": "tenant-1"}
    requests.put(f"{idp}/users/mia-{lang}", json=claims | {"roles": ["LL.HR"]}, timeout=5)
    member = open_context(lang=lang)
    member.goto("/accounts/login/")
    member.fill("#id_sso_organisation", "mia@acme.example")
    member.get_by_role("button", name=TEXT[lang]["sso"]).click()
    member.wait_for_url(f"{idp}/**")
    member.fill("#subject-input", f"mia-{lang}")
    member.locator("#subject-input").press("Enter")
    member.wait_for_url(f"{live_server.url}/")
    person = User.objects.get(email="mia@acme.example")
    assert person.organization == organization
    assert OrgRole.objects.filter(user=person, role="hr").exists()
