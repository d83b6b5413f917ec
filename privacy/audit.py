"""The audit trail's interface, which every app may import (docs/architecture.md): a service
records its sensitive actions with ``audit_record()`` inside its own transaction;
``origin(request)`` gives the arguments (who acted and from where) such a service takes, and
``audit()`` records from a view that calls no writing service (a download, a read).

It imports only the audit model and the people it names, so using it pulls nothing of the
privacy app's services (export, deletion, retention) into the app below."""

from django.http import HttpRequest
from django.utils import timezone

from privacy.models import AuditEvent
from teams.models import Organization, User


def actor_label(user: User | None) -> str:
    if user is None or not user.is_authenticated:
        return ""
    return str(user)[:160]


def audit_record(
    *,
    organization: Organization | int | None,
    action: str,
    actor: User | None = None,
    subject: User | None = None,
    target: str = "",
    ip_address: str | None = None,
) -> AuditEvent | None:
    """Records one sensitive action. Callers describe the target without anonymous
    authorship: an anonymous question is named by its id, never by who asked it."""
    organization_id = getattr(organization, "pk", organization)
    if organization_id is None:
        return None  # staff without an organisation: there is no tenant to show it to
    actor = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        organization_id=organization_id,
        actor=actor,
        actor_label=actor_label(actor),
        action=action,
        subject=subject,
        target=target[:300],
        ip_address=ip_address or None,
        created_at=timezone.now(),
    )


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a forwarded header is whatever the client wrote unless a trusted
    # proxy rewrites it, and an audit trail should not record claims.
    return request.META.get("REMOTE_ADDR") or None


def audit(
    request: HttpRequest,
    action: AuditEvent.Action | str,
    *,
    subject: User | None = None,
    target: str = "",
    organization=None,
) -> AuditEvent | None:
    actor = request.user if request.user.is_authenticated else None
    if organization is None:
        organization = actor.organization_id if actor else None
    return audit_record(
        organization=organization,
        action=action,
        actor=actor,
        subject=subject,
        target=target,
        ip_address=client_ip(request),
    )


def origin(request: HttpRequest) -> dict:
    """Who acted and from where, as the keyword arguments a service that writes its own audit
    row takes (``actor``, ``ip_address``)."""
    actor = request.user if request.user.is_authenticated else None
    return {"actor": actor, "ip_address": client_ip(request)}
