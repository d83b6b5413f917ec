"""Recording audit events from a view: the view knows who acted and from where, so services
stay free of request data."""

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
