"""Who acted and from where, taken from the request: ``origin(request)`` gives the arguments a
service that writes its own audit row takes; ``audit()`` records from a view that calls no
writing service (a download, a read)."""

from django.http import HttpRequest

from privacy import services
from privacy.models import AuditEvent
from teams.models import User


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
    return services.audit_record(
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
