"""django-allauth carries the OpenID Connect and SAML 2.0 flows; this adapter plugs the
organisations in.

Each organisation's connection becomes an unsaved SocialApp (provider_id ``org-<pk>``; for
SAML also its client_id, the address's organisation part) built from
sso.models.SsoConnection, so no client secret sits in allauth's own table. After the
provider answers, sso.services.sso_signin decides who comes in; every refusal, and every
failure of the flow itself (a replayed or missing state, a provider error), ends on our
refusal page."""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings

from privacy.audit import client_ip
from sso import crypto, selectors, services
from sso.models import SsoConnection


def app_for(connection: SsoConnection) -> SocialApp:
    if connection.is_saml:
        return SocialApp(
            provider="saml",
            provider_id=connection.provider_id,
            name=str(connection.organization),
            client_id=connection.provider_id,
            settings={
                "idp": {
                    "entity_id": connection.saml_entity_id,
                    "sso_url": connection.saml_sso_url,
                    "x509cert": connection.saml_x509cert,
                },
                # python3-saml refuses a response with neither it nor its assertion signed;
                # strict checks audience, destination, times and the InResponseTo of our
                # request, and a sign-in the provider starts on its own is refused.
                "advanced": {"strict": True, "reject_idp_initiated_sso": True},
            },
        )
    return SocialApp(
        provider="openid_connect",
        provider_id=connection.provider_id,
        name=str(connection.organization),
        client_id=connection.client_id,
        secret=crypto.decrypt(connection.client_secret_encrypted)
        if connection.client_secret_encrypted
        else "",
        settings={"server_url": connection.issuer},
    )


def _identity(sociallogin, connection: SsoConnection) -> services.Identity:
    uid = sociallogin.account.uid
    if connection.is_saml:
        attributes = sociallogin.account.extra_data or {}
        # allauth puts an e-mail NameID (format emailAddress) on the unsaved user.
        name_id_email = getattr(sociallogin.user, "email", "") or ""
        return services.Identity.from_saml(uid, attributes, name_id_email)
    return services.Identity.from_claims(uid, _claims(sociallogin))


def _claims(sociallogin) -> dict:
    """The ID token's claims over userinfo's: the token is signed, and only it carries
    Entra's tid."""
    data = sociallogin.account.extra_data or {}
    return {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}


class OrganisationSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        if provider == "saml":
            connections = [c for c in selectors.enabled_connections() if c.is_saml]
        else:
            connections = selectors.enabled_connections(provider_id=provider)
        if provider == "openid_connect":
            connections = [c for c in connections if not c.is_saml]
        apps = [app_for(connection) for connection in connections]
        if client_id:
            apps = [app for app in apps if app.client_id == client_id]
        return apps

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False  # accounts come from sso_signin only

    def pre_social_login(self, request, sociallogin) -> None:
        from sso import views

        connection = selectors.connection_by_provider_id(sociallogin.account.provider)
        if connection is None:
            raise ImmediateHttpResponse(views.refusal(request, "off"))
        identity = _identity(sociallogin, connection)
        linked = sociallogin.account.user if sociallogin.is_existing else None
        try:
            user = services.sso_signin(
                connection=connection,
                identity=identity,
                linked_user=linked,
                ip_address=client_ip(request),
            )
        except services.SignInRefused as refused:
            services.sso_signin_refused(
                connection=connection,
                identity=identity,
                reason=refused.reason,
                linked_user=linked,
                ip_address=client_ip(request),
            )
            raise ImmediateHttpResponse(views.refusal(request, refused.reason)) from None
        user.backend = settings.USER_BACKEND
        if sociallogin.is_existing:
            sociallogin.user = user
        else:
            sociallogin.connect(request, user)
        request.session[views.SSO_SESSION_KEY] = connection.organization_id

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        from sso import views

        raise ImmediateHttpResponse(views.refusal(request, "failed"))
