"""Telling a team's supervisors that a member reported a question: an in-app notice naming the
question (never the reporter, whom nothing stores), and an e-mail to those who take e-mail.

The caller (reflections.services.question_report) has no reporter to pass: a report stores
none, so no notice or e-mail can carry one. One unread notice per question and supervisor is
enough, so repeated reports add no rows or e-mails until the supervisor has read it."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.models import Notification, ReminderSettings
from teams.models import Membership, User

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
