"""The reminder sweep's writes for databases other than PostgreSQL: the embedded SQLite default
that `make run` uses with `run_reminders`. services.py runs set-based PostgreSQL statements
(unnest, SKIP LOCKED, a CTE that marks sent and notifies at once); these do the same work with
the ORM, one process at a time, which is all the embedded mode runs."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from notifications.models import Notification, Reminder, ReminderSettings, TeamOptOut
from reflections.models import Attendance, Session
from teams.models import Membership


def _muted(team_ids: set[int]) -> set[tuple[int, int]]:
    return set(TeamOptOut.objects.filter(team_id__in=team_ids).values_list("user_id", "team_id"))


def _wanted_before(now: datetime, horizon: timedelta, defaults: ReminderSettings) -> dict:
    sessions = list(
        Session.objects.filter(
            status=Session.Status.PLANNED, starts_at__gt=now, starts_at__lte=now + horizon
        ).only("id", "team_id", "starts_at")
    )
    team_ids = {s.team_id for s in sessions}
    members = Membership.objects.filter(team_id__in=team_ids, user__is_active=True)
    muted = _muted(team_ids)
    by_team: dict[int, list] = {}
    for membership in members.select_related("user__reminder_settings"):
        if (membership.user_id, membership.team_id) not in muted:
            prefs = getattr(membership.user, "reminder_settings", None) or defaults
            by_team.setdefault(membership.team_id, []).append((membership.user_id, prefs))
    wanted = {}
    for session in sessions:
        for user_id, prefs in by_team.get(session.team_id, []):
            if prefs.lead_minutes and prefs.any_channel:
                lead = timedelta(minutes=prefs.lead_minutes)
                wanted[(session.id, user_id)] = session.starts_at - lead
    return wanted


def _wanted_nudges(now: datetime, window: timedelta, defaults: ReminderSettings) -> dict:
    held = list(
        Attendance.objects.filter(
            session__status=Session.Status.HELD,
            session__ends_at__lte=now,
            session__ends_at__gt=now - window,
            user__is_active=True,
        ).select_related("session", "user__reminder_settings")
    )
    muted = _muted({attendance.session.team_id for attendance in held})
    wanted = {}
    for attendance in held:
        prefs = getattr(attendance.user, "reminder_settings", None) or defaults
        if (attendance.user_id, attendance.session.team_id) in muted:
            continue
        if prefs.nudges and prefs.any_channel:
            wanted[(attendance.session_id, attendance.user_id)] = attendance.session.ends_at
    return wanted


def plan(
    now: datetime,
    *,
    horizon: timedelta,
    nudge_window: timedelta,
    defaults: ReminderSettings,
    created: int,
    cancelled: int,
) -> tuple[int, int]:
    """Creates, moves and cancels session reminders as services.reminders_plan does."""
    for kind, wanted in (
        (Reminder.Kind.BEFORE, _wanted_before(now, horizon, defaults)),
        (Reminder.Kind.NUDGE, _wanted_nudges(now, nudge_window, defaults)),
    ):
        pending = {
            (r.session_id, r.user_id): r
            for r in Reminder.objects.filter(kind=kind, status=Reminder.Status.PENDING)
        }
        stale = [r.pk for key, r in pending.items() if key not in wanted]
        cancelled += Reminder.objects.filter(pk__in=stale).update(status=Reminder.Status.CANCELLED)
        moved = []
        for key, reminder in pending.items():
            if key in wanted and reminder.due_at != wanted[key]:
                reminder.due_at = wanted[key]
                moved.append(reminder)
        Reminder.objects.bulk_update(moved, ["due_at"], batch_size=500)
        # Only keys with no row at all: one reminder per (session, person, kind), ever.
        existing = set(
            Reminder.objects.filter(kind=kind, session_id__in={s for s, _ in wanted}).values_list(
                "session_id", "user_id"
            )
        )
        new = [
            Reminder(session_id=s, user_id=u, kind=kind, due_at=due)
            for (s, u), due in wanted.items()
            if (s, u) not in existing
        ]
        created += len(Reminder.objects.bulk_create(new, ignore_conflicts=True))
    return created, cancelled


@transaction.atomic
def claim(*, now: datetime, limit: int, token: str) -> list[int]:
    ids = list(
        Reminder.objects.filter(status=Reminder.Status.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("id", flat=True)[:limit]
    )
    Reminder.objects.filter(pk__in=ids, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    return sorted(ids)


@transaction.atomic
def mark_sent(reminder: Reminder, *, token: str, now: datetime, in_app: bool) -> int:
    marked = Reminder.objects.filter(
        pk=reminder.pk, claim_token=token, status=Reminder.Status.SENDING
    ).update(status=Reminder.Status.SENT, sent_at=now)
    if marked and in_app:
        Notification.objects.create(
            user_id=reminder.user_id,
            kind=reminder.kind,
            session_id=reminder.session_id,
            team_id=reminder.team_id,
            reminder_id=reminder.pk,
        )
    return marked
