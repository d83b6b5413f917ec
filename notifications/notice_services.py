"""What reflections' services tell people through the inbox: a named interface
(docs/architecture.md). Notifications sits above reflections (its reminders are about
sessions), yet answering, forwarding and reporting a question put a notice in someone's
inbox; so reflections imports this module, which imports only the notifications app's models
and teams (nothing of reflections or above), and tests/test_architecture.py keeps it so.

- forward_notify_hr: HR hears that a team sent questions up (the team only, never a question
  or an asker).
- question_answered_notify: a named asker who asked to be told hears of an answer.
- question_reported_notify: a team's supervisors hear that a member reported a question: an
  in-app notice naming the question (never the reporter, whom nothing stores), and an e-mail
  to those who take e-mail. The caller (reflections.services.question_report) has no reporter
  to pass: a report stores none, so no notice or e-mail can carry one. One unread notice per
  question and supervisor is enough, so repeated reports add no rows or e-mails until the
  supervisor has read it.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification, ReminderSettings
from teams.models import Membership, OrgRole, User

logger = logging.getLogger(__name__)


def question_reported_notify(*, question) -> int:
    """Notices for the supervisors of the question's team not yet told of it; e-mails to those
    of them whose preferences say "by e-mail", sent once the report is committed."""
    supervisors = set(
        Membership.objects.filter(
            team_id=question.team_id, role=Membership.Role.SUPERVISOR, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    told = set(
        Notification.objects.filter(
            user_id__in=supervisors,
            kind=Notification.Kind.REPORTED,
            question=question,
            read_at__isnull=True,
        ).values_list("user_id", flat=True)
    )
    to_tell = sorted(supervisors - told)
    Notification.objects.bulk_create(
        Notification(user_id=user_id, kind=Notification.Kind.REPORTED, question=question)
        for user_id in to_tell
    )
    no_email = set(
        ReminderSettings.objects.filter(user_id__in=to_tell, by_email=False).values_list(
            "user_id", flat=True
        )
    )
    by_email = [user_id for user_id in to_tell if user_id not in no_email]
    if by_email:
        transaction.on_commit(lambda: _email(question, by_email))
    return len(to_tell)


def _email(question, user_ids: list[int]) -> None:
    """Plain text in each person's language. A refused message is logged without its content
    or address and does not stop the others; the in-app notice is there either way."""
    questions_url = (
        settings.SITE_URL
        + reverse("reflections:team_questions", args=[question.team_id])
        + f"#q-{question.pk}"
    )
    context = {
        "team": question.team.name,
        "excerpt": question.body[:80] + ("…" if len(question.body) > 80 else ""),
        "questions_url": questions_url,
        "preferences_url": settings.SITE_URL + reverse("notifications:preferences"),
    }
    for user in User.objects.filter(pk__in=user_ids).exclude(email=""):
        with translation.override(user.language):
            subject = render_to_string("notifications/email/reported_subject.txt", context).strip()
            body = render_to_string(
                "notifications/email/reported.txt",
                context | {"name": user.first_name or user.username},
            )
        try:
            send_mail(subject, body, None, [user.email])
        except Exception:  # noqa: BLE001 - any backend error
            logger.warning("A report notice e-mail was refused by the mail server.")


# Answers and forwards -------------------------------------------------------------------------


def forward_notify_hr(*, team) -> int:
    """Tells the organisation's HR people that the team sent questions up: a notice naming
    only the team (never a question or an asker), one unread notice per team and person."""
    hr = OrgRole.objects.filter(
        organization_id=team.organization_id, role=OrgRole.Role.HR
    ).values_list("user_id", flat=True)
    told = Notification.objects.filter(
        user_id__in=hr, kind=Notification.Kind.FORWARD, team=team, read_at__isnull=True
    ).values_list("user_id", flat=True)
    notices = [
        Notification(user_id=user_id, kind=Notification.Kind.FORWARD, team=team)
        for user_id in set(hr) - set(told)
    ]
    return len(Notification.objects.bulk_create(notices))


def question_answered_notify(*, question) -> bool:
    """Tells a named asker who asked to be told that their question got an answer.

    Never for an anonymous question: there is no asker to tell, and a row would be the very
    link anonymity forbids (anonymous askers are told by their own browser:
    reflections.answer_cookie). One unread notice per question is enough."""
    if question.author_id is None or not question.notify_author:
        return False
    if Notification.objects.filter(
        user_id=question.author_id, question=question, read_at__isnull=True
    ).exists():
        return False
    Notification.objects.create(
        user_id=question.author_id, kind=Notification.Kind.ANSWERED, question=question
    )
    return True
