"""Single sign-on writes: an organisation's connection, sign-ins through its identity
provider (just-in-time accounts) and SCIM provisioning. Each audits inside its transaction."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Lower

from learning_lead import fragments, web_sessions
from privacy import audit as privacy_audit
from privacy.models import AuditEvent
from sso import crypto
from sso.models import ScimExternalId, SsoConnection
from teams import services as team_services
from teams.models import Invitation, Membership, Organization, OrgRole, User

CONFIG_FIELDS = (
    "enabled",
    "protocol",
    "issuer",
    "client_id",
    "tenant_id",
    "hosted_domain",
    "email_domains",
    "admin_claim",
    "hr_claim",
    "require_sso",
    "break_glass_admin",
    "saml_entity_id",
    "saml_sso_url",
    "saml_x509cert",
)

# Where SAML identity providers put what sign-in needs: the common attribute names, LDAP's
# OIDs, and Entra ID's and ADFS's claim URIs. The first attribute present wins.
SAML_ATTRIBUTES = {
    "email": (
        "email",
        "mail",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ),
    "first_name": (
        "givenName",
        "firstName",
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
    ),
    "last_name": (
        "sn",
        "surname",
        "lastName",
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
    ),
    "tenant_id": ("http://schemas.microsoft.com/identity/claims/tenantid",),
    "email_verified": ("email_verified", "http://schemas.auth0.com/email_verified"),
}
# Every one of these attributes' values counts as a role or group, as OIDC's roles and groups.
SAML_ROLE_ATTRIBUTES = (
    "roles",
    "role",
    "groups",
    "memberOf",
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
)


class SignInRefused(Exception):
    """The identity provider vouched for someone this organisation does not let in; ``reason``
    names which check failed (sso/views.py turns it into the refusal page)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _truthy(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() == "true"


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


@transaction.atomic
def connection_save(
    *,
    organization: Organization,
    issuer: str,
    client_id: str,
    client_secret: str,
    tenant_id: str,
    hosted_domain: str,
    email_domains: str,
    admin_claim: str,
    hr_claim: str,
    enabled: bool,
    require_sso: bool,
    break_glass_admin: User | None,
    protocol: str = SsoConnection.Protocol.OIDC,
    saml_entity_id: str = "",
    saml_sso_url: str = "",
    saml_x509cert: str = "",
    actor: User | None = None,
    ip_address: str | None = None,
) -> SsoConnection:
    """Creates or changes the organisation's connection; an empty secret keeps the stored one.
    The audit row names the changed settings, never the secret."""
    if break_glass_admin is not None and break_glass_admin.organization_id != organization.pk:
        raise ValueError("The break-glass admin must belong to the organisation.")
    connection = SsoConnection.objects.select_for_update().filter(
        organization=organization
    ).first() or SsoConnection(organization=organization)
    values = {
        "enabled": enabled,
        "issuer": issuer.strip().rstrip("/"),
        "client_id": client_id.strip(),
        "tenant_id": tenant_id.strip(),
        "hosted_domain": hosted_domain.strip().lower(),
        "email_domains": email_domains.strip(),
        "admin_claim": admin_claim.strip(),
        "hr_claim": hr_claim.strip(),
        "require_sso": require_sso,
        "break_glass_admin": break_glass_admin,
        "protocol": protocol,
        "saml_entity_id": saml_entity_id.strip(),
        "saml_sso_url": saml_sso_url.strip(),
        "saml_x509cert": saml_x509cert.strip(),
    }
    changed = [name for name in CONFIG_FIELDS if getattr(connection, name, None) != values[name]]
    for name, value in values.items():
        setattr(connection, name, value)
    if client_secret:
        connection.client_secret_encrypted = crypto.encrypt(client_secret)
        changed.append("client_secret")
    connection.save()
    privacy_audit.audit_record(
        organization=organization,
        action=AuditEvent.Action.SSO_CONFIG_CHANGE,
        actor=actor,
        target=", ".join(changed) or "-",
        ip_address=ip_address,
    )
    return connection


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def scim_token_issue(
    *, connection: SsoConnection, actor: User | None = None, ip_address: str | None = None
) -> str:
    """A new SCIM bearer token (shown once); the previous one stops working."""
    token = secrets.token_urlsafe(32)
    connection.scim_token_hash = hash_token(token)
    connection.save(update_fields=["scim_token_hash", "updated_at"])
    privacy_audit.audit_record(
        organization=connection.organization_id,
        action=AuditEvent.Action.SSO_CONFIG_CHANGE,
        actor=actor,
        target="scim_token",
        ip_address=ip_address,
    )
    return token


@dataclass(frozen=True)
class Identity:
    """What the identity provider said about the person, from the ID token and userinfo."""

    uid: str
    email: str
    email_verified: bool
    tenant_id: str
    hosted_domain: str
    roles: list[str]
    first_name: str
    last_name: str

    @classmethod
    def from_saml(cls, uid: str, attributes: dict, name_id_email: str = "") -> "Identity":
        """From a signed SAML assertion's attributes (each a list of values). The organisation's
        own identity provider vouches for the address, so it counts as confirmed unless the
        assertion says otherwise; the allowed domains still decide."""

        def first(key: str) -> str:
            for name in SAML_ATTRIBUTES[key]:
                values = attributes.get(name) or []
                if values and str(values[0]).strip():
                    return str(values[0]).strip()
            return ""

        verified = first("email_verified")
        roles = [str(v) for name in SAML_ROLE_ATTRIBUTES for v in attributes.get(name) or []]
        return cls(
            uid=uid,
            email=first("email") or name_id_email.strip(),
            email_verified=not verified or _truthy(verified),
            tenant_id=first("tenant_id"),
            hosted_domain="",
            roles=roles,
            first_name=first("first_name")[:150],
            last_name=first("last_name")[:150],
        )

    @classmethod
    def from_claims(cls, uid: str, claims: dict) -> "Identity":
        return cls(
            uid=uid,
            email=str(claims.get("email") or "").strip(),
            # Entra ID leaves out email_verified; its optional claim xms_edov says the
            # address's domain is verified by the tenant.
            email_verified=_truthy(claims.get("email_verified", False))
            or _truthy(claims.get("xms_edov", False)),
            tenant_id=str(claims.get("tid") or ""),
            hosted_domain=str(claims.get("hd") or "").lower(),
            roles=_as_list(claims.get("roles")) + _as_list(claims.get("groups")),
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
        )


def identity_check(*, connection: SsoConnection, identity: Identity) -> None:
    """Raises SignInRefused unless the organisation lets this identity in."""
    if not connection.enabled:
        raise SignInRefused("off")
    if connection.tenant_id and identity.tenant_id != connection.tenant_id:
        raise SignInRefused("tenant")
    if (
        connection.hosted_domain
        and not connection.is_saml
        and identity.hosted_domain != connection.hosted_domain
    ):
        raise SignInRefused("tenant")
    if not identity.email or not identity.email_verified:
        raise SignInRefused("unverified")
    domain = identity.email.rpartition("@")[2].lower()
    if domain not in connection.domains():
        raise SignInRefused("domain")


def _by_email(email: str):
    return User.objects.alias(email_lower=Lower("email")).filter(
        email_lower=Lower(Value(email.strip()))
    )


def _mapped_roles(connection: SsoConnection, identity: Identity) -> set[str]:
    mapping = {connection.admin_claim: OrgRole.Role.ADMIN, connection.hr_claim: OrgRole.Role.HR}
    return {role for claim, role in mapping.items() if claim and claim in identity.roles}


def _unique_username(email: str) -> str:
    base = email.lower()[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


@transaction.atomic
def sso_signin(
    *,
    connection: SsoConnection,
    identity: Identity,
    linked_user: User | None = None,
    ip_address: str | None = None,
) -> User:
    """The account this identity signs in to: the one already linked to it, else the account
    or pending invitation with its verified e-mail in this organisation, else a new one (just
    in time). Roles the organisation maps from the provider's roles or groups are added; none
    is ever given by default. SignInRefused when the organisation does not let them in."""
    identity_check(connection=connection, identity=identity)
    organization = connection.organization
    user = linked_user or _by_email(identity.email).first()
    created = False
    if user is not None:
        if user.organization_id != organization.pk:
            raise SignInRefused("elsewhere")
        if not user.is_active:
            raise SignInRefused("inactive")
    else:
        invitation = (
            Invitation.objects.filter(
                organization=organization, email__iexact=identity.email, accepted_at=None
            )
            .order_by("-created_at")
            .first()
        )
        if invitation is not None and not invitation.is_expired():
            user = team_services.invitation_accept(
                invitation=invitation,
                username=_unique_username(identity.email),
                first_name=identity.first_name,
                last_name=identity.last_name,
                password=None,
                language=invitation.language or organization.language,
                ip_address=ip_address,
            )
        else:
            user = User(
                username=_unique_username(identity.email),
                email=identity.email,
                first_name=identity.first_name,
                last_name=identity.last_name,
                organization=organization,
                time_zone=organization.time_zone,
                language=organization.language,
            )
            user.set_unusable_password()
            user.save()
            fragments.changed(fragments.user(user.pk))
        created = True
    roles = _mapped_roles(connection, identity)
    held = set(OrgRole.objects.filter(user=user).values_list("role", flat=True))
    if roles - held:
        team_services.org_roles_set(user=user, roles=held | roles)
    privacy_audit.audit_record(
        organization=organization,
        action=AuditEvent.Action.SSO_SIGNIN,
        actor=user,
        subject=user,
        target=("new account" if created else "")
        + (f" roles: {', '.join(sorted(roles))}" if roles else ""),
        ip_address=ip_address,
    )
    return user


def sso_signin_refused(
    *,
    connection: SsoConnection,
    identity: Identity,
    reason: str,
    linked_user: User | None = None,
    ip_address: str | None = None,
) -> None:
    """Records a sign-in the identity provider vouched for and the organisation refused
    (`reason` from SignInRefused). The row names the person only when the account is this
    organisation's and found by a link or a verified address, and of an address only its
    domain. A flow that failed before the provider answered (a stale or forged callback link,
    which anyone can send) writes no row."""
    subject = linked_user
    if subject is None and identity.email and identity.email_verified:
        subject = _by_email(identity.email).first()
    if subject is not None and subject.organization_id != connection.organization_id:
        subject = None
    domain = identity.email.rpartition("@")[2].lower() if "@" in identity.email else ""
    privacy_audit.audit_record(
        organization=connection.organization_id,
        action=AuditEvent.Action.SSO_SIGNIN_REFUSED,
        subject=subject,
        target=f"{reason} {domain}".strip(),
        ip_address=ip_address,
    )


@transaction.atomic
def scim_user_create(
    *,
    connection: SsoConnection,
    user_name: str,
    email: str,
    first_name: str,
    last_name: str,
    active: bool = True,
    external_id: str = "",
) -> User:
    organization = connection.organization
    user = User(
        username=user_name[:150],
        email=email,
        first_name=first_name[:150],
        last_name=last_name[:150],
        organization=organization,
        time_zone=organization.time_zone,
        language=organization.language,
        is_active=active,
    )
    user.set_unusable_password()
    user.save()
    _external_id_set(user, external_id)
    fragments.changed(fragments.user(user.pk))
    _scim_audit(connection, user, "create")
    return user


@transaction.atomic
def scim_user_update(
    *,
    connection: SsoConnection,
    user: User,
    user_name: str,
    email: str,
    first_name: str,
    last_name: str,
    active: bool,
    external_id: str = "",
) -> User:
    """Replaces the person's names and address; active=false deactivates them."""
    _external_id_set(user, external_id)
    user.username = user_name[:150]
    user.email = email
    user.first_name = first_name[:150]
    user.last_name = last_name[:150]
    user.save(update_fields=["username", "email", "first_name", "last_name"])
    fragments.changed(fragments.user(user.pk), *_team_scopes(user))
    if not active and user.is_active:
        scim_user_deactivate(connection=connection, user=user)
    elif active and not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    _scim_audit(connection, user, "update")
    return user


def _external_id_set(user: User, external_id: str) -> None:
    if external_id:
        ScimExternalId.objects.update_or_create(user=user, defaults={"external_id": external_id})
    else:
        ScimExternalId.objects.filter(user=user).delete()


def _team_scopes(user: User) -> list[str]:
    team_ids = Membership.objects.filter(user=user).values_list("team_id", flat=True)
    return [fragments.team(team_id) for team_id in team_ids]


@transaction.atomic
def scim_user_deactivate(*, connection: SsoConnection, user: User) -> None:
    """Turns the account off: its sessions end and it leaves its teams and organisation roles,
    as removing the person does; what they wrote stays."""
    user = User.objects.select_for_update().get(pk=user.pk)
    scopes = _team_scopes(user)
    Membership.objects.filter(user=user).delete()
    OrgRole.objects.filter(user=user).delete()
    user.is_active = False
    user.save(update_fields=["is_active"])
    web_sessions.end_sessions_of(user.pk)
    fragments.changed(fragments.user(user.pk), fragments.org(user.organization_id), *scopes)
    _scim_audit(connection, user, "deactivate")


def _scim_audit(connection: SsoConnection, user: User | None, what: str) -> None:
    privacy_audit.audit_record(
        organization=connection.organization_id,
        action=AuditEvent.Action.SCIM_CHANGE,
        subject=user,
        target=what,
    )


@transaction.atomic
def scim_user_delete(*, connection: SsoConnection, user: User) -> None:
    """The provider removed the person: the account goes as account deletion removes it. The
    audit row, written after, names nobody (deletion clears what named the person)."""
    from privacy import services as privacy_services

    privacy_services.account_deletion_execute(user=user)
    _scim_audit(connection, None, "delete")


def keys_rotate() -> int:
    """Re-encrypts every stored client secret under the newest key (SSO_ENCRYPTION_KEYS'
    first); then the old key can be dropped. Each organisation's audit trail records it."""
    rotated = 0
    connections = SsoConnection.objects.exclude(client_secret_encrypted="")
    for connection in connections.only(
        "pk", "organization_id", "client_secret_encrypted"
    ).iterator():
        with transaction.atomic():
            SsoConnection.objects.filter(pk=connection.pk).update(
                client_secret_encrypted=crypto.rotate(connection.client_secret_encrypted)
            )
            privacy_audit.audit_record(
                organization=connection.organization_id,
                action=AuditEvent.Action.SSO_CONFIG_CHANGE,
                target="key_rotation",
            )
        rotated += 1
    return rotated
