"""A person's data export (My data): everything the person owns, nothing of anyone else's.

Read by the My data page and its downloads. One reader per part of the product, each a fixed
number of queries; ``data_export`` joins them in the export's order.
"""

from __future__ import annotations

from django.utils import timezone

from notifications.models import Notification, ReminderSettings, TeamOptOut
from privacy.models import DeletionRequest
from reflections.models import (
    Answer,
    Attendance,
    CalendarFeed,
    ForwardedItem,
    PulseAnswered,
    Question,
    Thought,
    Vote,
)
from reports.models import PersonMonth, PersonThemeMonth
from teams.models import Membership, PersonalGoal, User


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def data_export(*, user: User) -> dict:
    """The person's own data as plain JSON-ready values.

    Thoughts list the person's own text only (a reply names its thread by id, not by the
    other person's words); votes name the question by id, which says what they upvoted and
    nothing about who asked it."""
    deletion = DeletionRequest.objects.filter(user=user).first()
    return {
        "format": "learning-lead-personal-data/1",
        "exported_at": _iso(timezone.now()),
        **profile(user),
        **goals(user),
        **place(user),
        **sessions(user),
        **notifications(user),
        **report_marks(user),
        "deletion_due_at": _iso(deletion.due_at) if deletion else None,
    }


def profile(user: User) -> dict:
    """The account, its roles and its teams."""
    return {
        "profile": {
            "id": user.pk,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "organization": user.organization.name if user.organization_id else None,
            "language": user.language,
            "time_zone": user.time_zone,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "is_active": user.is_active,
        },
        "organization_roles": sorted(user.org_roles.values_list("role", flat=True)),
        "memberships": [
            {"team": m.team.name, "role": m.role, "joined_at": _iso(m.joined_at)}
            for m in Membership.objects.filter(user=user).select_related("team").order_by("pk")
        ],
    }


def goals(user: User) -> dict:
    """Personal learning goals with their check-ins."""
    goals = (
        PersonalGoal.objects.filter(owner=user)
        .select_related("team_goal")
        .prefetch_related("checkins")
        .order_by("created_at")
    )
    return {
        "personal_goals": [
            {
                "id": goal.pk,
                "title": goal.title,
                "reason": goal.reason,
                "team_goal": goal.team_goal.title if goal.team_goal_id else None,
                "challenge": goal.challenge,
                "visibility": goal.visibility,
                "status": goal.status,
                "created_at": _iso(goal.created_at),
                "check_ins": [
                    {"day": _iso(c.day), "progress": c.progress, "note": c.note}
                    for c in sorted(goal.checkins.all(), key=lambda c: (c.day, c.pk))
                ],
            }
            for goal in goals
        ],
    }


def place(user: User) -> dict:
    """What the person wrote: thoughts, named questions, what they forwarded to HR,
    answers and votes."""
    return {
        "thoughts": [
            {
                "id": t.pk,
                "team": t.team.name,
                "kind": t.kind,
                "body": t.body,
                "reply_to_thread": t.parent_id,
                "session": t.session.title if t.session_id else None,
                "created_at": _iso(t.created_at),
                "edited_at": _iso(t.edited_at),
            }
            for t in Thought.objects.filter(author=user)
            .select_related("team", "session")
            .order_by("created_at", "pk")
        ],
        "named_questions": [
            {
                "id": str(q.pk),
                "team": q.team.name,
                "body": q.body,
                "asked_on": _iso(q.asked_on),
                "status": q.status,
                "name_may_go_to_hr": q.name_upward,
                "notify_when_answered": q.notify_author,
            }
            for q in Question.objects.filter(author=user).select_related("team").order_by("pk")
        ],
        "forwarded_to_hr": [
            {
                "id": str(f.pk),
                "team": f.team.name,
                "theme": f.theme.title,
                "forwarded_on": _iso(f.forwarded_on),
                "summary": f.summary,
                "questions": sorted(str(q.pk) for q in f.questions.all()),
            }
            for f in ForwardedItem.objects.filter(forwarded_by=user)
            .select_related("team", "theme")
            .prefetch_related("questions")
            .order_by("forwarded_on", "pk")
        ],
        "answers": [
            {"question": str(a.question_id), "body": a.body, "created_at": _iso(a.created_at)}
            for a in Answer.objects.filter(author=user).order_by("created_at", "pk")
        ],
        "votes": [
            {"question": str(v.question_id)}
            for v in Vote.objects.filter(user=user).order_by("question_id")
        ],
    }


def sessions(user: User) -> dict:
    """The sessions the person took part in and answered the pulse of."""
    return {
        "attendance": [
            {"session": a.session.title, "starts_at": _iso(a.session.starts_at)}
            for a in Attendance.objects.filter(user=user)
            .select_related("session")
            .order_by("session__starts_at")
        ],
        "pulse_answered": [
            {"session": p.session.title, "starts_at": _iso(p.session.starts_at)}
            for p in PulseAnswered.objects.filter(user=user)
            .select_related("session")
            .order_by("session__starts_at")
        ],
    }


def notifications(user: User) -> dict:
    """Reminder preferences, in-app notifications and the calendar feed."""
    reminder = ReminderSettings.objects.filter(user=user).first()
    return {
        "reminder_settings": (
            {
                "lead_minutes": reminder.lead_minutes,
                "by_email": reminder.by_email,
                "in_app": reminder.in_app,
                "nudges": reminder.nudges,
            }
            if reminder
            else None
        ),
        "reminder_opt_outs": sorted(
            TeamOptOut.objects.filter(user=user).values_list("team__name", flat=True)
        ),
        "notifications": [
            {
                "kind": n.kind,
                "session": n.session.title if n.session else None,
                "team": n.team.name if n.team else None,
                "question": str(n.question_id) if n.question_id else None,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
            }
            for n in Notification.objects.filter(user=user)
            .select_related("session", "team")
            .order_by("created_at", "pk")
        ],
        "calendar_feed": CalendarFeed.objects.filter(user=user).exists(),
    }


def report_marks(user: User) -> dict:
    """The HR report's monthly marks of the person."""
    return {
        # The HR report's monthly marks (reports/models.py): never shown to anyone one by one,
        # counted into figures of at least the minimum group size; unlinked on deletion.
        "report_months": [
            {
                "team": mark.team.name,
                "month": mark.month.isoformat()[:7],
                "took_part": mark.attended,
                "posted": mark.posted,
                "answered_pulse": mark.pulsed,
                "checked_in": mark.learned,
            }
            for mark in PersonMonth.objects.filter(user=user)
            .select_related("team")
            .order_by("month", "team__name")
        ],
        "report_theme_months": [
            {
                "team": mark.team.name,
                "theme": mark.theme.title,
                "month": mark.month.isoformat()[:7],
                "posted": mark.posted,
                "checked_in": mark.learned,
            }
            for mark in PersonThemeMonth.objects.filter(user=user)
            .select_related("team", "theme")
            .order_by("month", "team__name", "theme__title")
        ],
    }
