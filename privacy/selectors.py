"""Reads for the privacy pages: an organisation's audit trail and its privacy facts."""

from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet

from privacy.models import AuditEvent, DeletionRequest
from teams.models import Organization, User


def audit_events_for_organization(
    organization_id: int,
    *,
    action: str = "",
    person: User | None = None,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AuditEvent]:
    """The organisation's audit trail, newest first; optionally one action, what one person
    did or what was done about them, and days from `start` to `end` in the current time
    zone (the reader's)."""
    events = AuditEvent.objects.filter(organization_id=organization_id)
    if action:
        events = events.filter(action=action)
    if person is not None:
        events = events.filter(Q(actor=person) | Q(subject=person))
    if start is not None:
        events = events.filter(created_at__date__gte=start)
    if end is not None:
        events = events.filter(created_at__date__lte=end)
    return events.select_related("subject").order_by("-created_at", "-pk")


def pending_deletion(user) -> DeletionRequest | None:
    """The person's own request to delete their account, while it waits for its date."""
    return DeletionRequest.objects.filter(user=user).first()


def privacy_facts(organization: Organization | None) -> dict:
    """The numbers the privacy page states, read from the actual settings."""
    return {
        "organization": organization,
        "retention_months": organization.retention_months if organization else None,
        "min_group_size": organization.min_group_size if organization else None,
        "grace_days": settings.ACCOUNT_DELETION_GRACE_DAYS,
        "audit_days": settings.AUDIT_RETENTION_DAYS,
    }
