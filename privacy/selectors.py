"""Reads for the privacy pages: an organisation's audit trail and its privacy facts."""

from django.conf import settings
from django.db.models import QuerySet

from privacy.models import AuditEvent, DeletionRequest
from teams.models import Organization


def audit_events_for_organization(organization_id: int) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(organization_id=organization_id)
        .select_related("subject")
        .order_by("-created_at", "-pk")
    )


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
