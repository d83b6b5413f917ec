"""`{{ value|choice_label:"membership_role" }}`: the translated label of a stored choice, so the
readable export shows "Esihenkilö" where the JSON keeps "supervisor"."""

from django import template

from notifications.models import Notification
from privacy.audit_details import audit_details as details_in_words
from reflections.models import Question, Thought
from teams.models import GoalStatus, Membership, OrgRole, PersonalGoal

register = template.Library()

CHOICES = {
    "membership_role": Membership.Role,
    "org_role": OrgRole.Role,
    "visibility": PersonalGoal.Visibility,
    "goal_status": GoalStatus,
    "question_status": Question.Status,
    "thought_kind": Thought.Kind,
    "notification_kind": Notification.Kind,
}


@register.filter
def choice_label(value, kind: str):
    return dict(CHOICES[kind].choices).get(value, value)


@register.filter
def audit_details(event) -> str:
    """`{{ event|audit_details }}`: the audit event's details in words (privacy/audit_details)."""
    return details_in_words(event.action, event.target)
