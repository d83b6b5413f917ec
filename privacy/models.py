"""Privacy records: the audit trail of sensitive actions and pending account deletions. (The
monthly counts that outlive rows removed by retention live in the report rollups,
reports/models.py.)"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One sensitive action: who, what, when, from where.

    The actor is a nullable link plus a label frozen at the time; deleting a person clears
    both. Targets are described without any anonymous authorship (a moderated anonymous
    question is named by its id only)."""

    class Action(models.TextChoices):
        ROLE_CHANGE = "role_change", _("Organisation roles changed")
        MEMBERSHIP_SET = "membership_set", _("Team role set")
        MEMBERSHIP_REMOVE = "membership_remove", _("Removed from a team")
        INVITATION_CREATE = "invitation_create", _("Invitation sent")
        INVITATION_REVOKE = "invitation_revoke", _("Invitation withdrawn")
        INVITATION_ACCEPT = "invitation_accept", _("Invitation accepted")
        DATA_EXPORT = "data_export", _("Personal data downloaded")
        DELETION_REQUEST = "deletion_request", _("Account deletion requested")
        DELETION_CANCEL = "deletion_cancel", _("Account deletion cancelled")
        DELETION_EXECUTE = "deletion_execute", _("Account deleted")
        RETENTION_RUN = "retention_run", _("Retention run")
        RETENTION_CHANGE = "retention_change", _("Privacy settings changed")
        QUESTION_HIDE = "question_hide", _("Question hidden")
        QUESTION_UNHIDE = "question_unhide", _("Question shown again")
        REPORT_EXPORT = "report_export", _("HR report downloaded")
        QUESTION_FORWARD = "question_forward", _("Questions forwarded to HR")
        FORWARD_ANSWER = "forward_answer", _("Forwarded questions answered")
        CHAT_CHANNEL_ADD = "chat_channel_add", _("Chat channel connected")
        CHAT_CHANNEL_CHANGE = "chat_channel_change", _("Chat channel changed")
        CHAT_CHANNEL_REMOVE = "chat_channel_remove", _("Chat channel removed")
        SSO_CONFIG_CHANGE = "sso_config_change", _("Single sign-on settings changed")
        SSO_SIGNIN = "sso_signin", _("Signed in with the identity provider")
        SCIM_CHANGE = "scim_change", _("Account changed by provisioning (SCIM)")
        SSO_SIGNIN_REFUSED = "sso_signin_refused", _("Sign-in with the identity provider refused")

    organization = models.ForeignKey(
        "teams.Organization", on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=160, blank=True)
    action = models.CharField(max_length=24, choices=Action.choices)
    # The person the action was about, if any, so their deletion can clear the description.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class DeletionRequest(models.Model):
    """A person asked for their account to be deleted; it happens once `due_at` has passed,
    unless they cancel first."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_request"
    )
    requested_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"deletion due {self.due_at:%Y-%m-%d}"
