"""Reads of single sign-on connections."""

from django.db.models import Value
from django.db.models.functions import Lower

from sso.models import SsoConnection
from teams.models import User

PREFIX = "org-"


def connection_of(organization) -> SsoConnection | None:
    return SsoConnection.objects.filter(organization=organization).first()


def connection_by_provider_id(provider_id: str | None) -> SsoConnection | None:
    if not provider_id or not provider_id.startswith(PREFIX):
        return None
    pk = provider_id.removeprefix(PREFIX)
    if not pk.isdigit():
        return None
    connections = SsoConnection.objects.select_related("organization")
    return connections.filter(organization_id=int(pk)).first()


def enabled_connections(*, provider_id: str | None = None) -> list[SsoConnection]:
    if provider_id and provider_id != "openid_connect":
        connection = connection_by_provider_id(provider_id)
        return [connection] if connection is not None and connection.enabled else []
    return list(SsoConnection.objects.filter(enabled=True).select_related("organization"))


def connection_for_start(text: str) -> SsoConnection | None:
    """The enabled connection for what a person typed on the sign-in page: their work
    e-mail (its domain) or their organisation's short name."""
    text = text.strip().lower()
    connections = SsoConnection.objects.filter(enabled=True).select_related("organization")
    if "@" in text:
        domain = text.rpartition("@")[2]
        for connection in connections.filter(email_domains__icontains=domain):
            if domain in connection.domains():
                return connection
        return None
    return connections.filter(organization__slug=text).first()


def password_signin_allowed(user: User) -> bool:
    """False for members of an organisation that requires single sign-on, except its
    break-glass admin."""
    connection = SsoConnection.objects.filter(
        organization_id=user.organization_id, enabled=True, require_sso=True
    ).first()
    if connection is None or user.organization_id is None:
        return True
    return connection.break_glass_admin_id == user.pk


def email_lookup(email: str):
    return User.objects.alias(email_lower=Lower("email")).filter(
        email_lower=Lower(Value(email.strip()))
    )
