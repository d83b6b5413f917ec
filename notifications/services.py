"""Reminder planning and delivery, preferences and unsubscribe.

Delivery design: the database decides what has been sent. A sweep (Celery beat every minute,
or `manage.py run_reminders` without Redis) plans reminder rows ahead, then claims due rows in
batches with SELECT ... FOR UPDATE SKIP LOCKED as a lease, sends them, and marks them sent in
one transaction together with the in-app notification. Two sweeps never claim the same row; a
sweep that dies leaves its claimed rows to be claimed again when the lease expires. E-mail is
at-least-once in that crash window only, with a stable Message-ID per reminder so mail clients
treat a re-sent copy as the same message; in-app notifications are exactly once (one per
reminder, enforced by a unique key).
"""

import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from notifications import emails
from notifications.models import Notification, Reminder, ReminderSettings, TeamOptOut
from reflections import lapse as lapses
from reflections.models import Attendance, Session
from teams.models import Membership, Team, User

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
NUDGE_WINDOW = timedelta(days=2)
DEFAULTS = ReminderSettings()


class UnsubscribeInvalid(Exception):
    pass


@dataclass
class SweepResult:
    planned: int = 0
    cancelled: int = 0
    recovered: int = 0
    dispatched: int = 0
    sent: int = 0


def settings_for(user: User) -> ReminderSettings:
    found = ReminderSettings.objects.filter(user=user).first()
    return found or ReminderSettings(user=user)


@transaction.atomic
def preferences_update(
    *,
    user: User,
    lead_minutes: int,
    by_email: bool,
    in_app: bool,
    nudges: bool,
    muted_teams: list[Team],
    lapse_alerts: bool = True,
) -> None:
    ReminderSettings.objects.update_or_create(
        user=user,
        defaults={
            "lead_minutes": lead_minutes,
            "by_email": by_email,
            "in_app": in_app,
            "nudges": nudges,
            "lapse_alerts": lapse_alerts,
        },
    )
    TeamOptOut.objects.filter(user=user).exclude(team__in=muted_teams).delete()
    TeamOptOut.objects.bulk_create(
        [TeamOptOut(user=user, team=team) for team in muted_teams], ignore_conflicts=True
    )


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def user_from_unsubscribe_token(token: str) -> User:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise UnsubscribeInvalid from exc
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise UnsubscribeInvalid
    return user


@transaction.atomic
def unsubscribe(*, user: User) -> None:
    """Stops reminder e-mails (RFC 8058 one-click); in-app notifications stay as they were."""
    ReminderSettings.objects.update_or_create(user=user, defaults={"by_email": False})


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


# Planning ------------------------------------------------------------------------------------


def _planning_horizon() -> timedelta:
    longest = max(choice.value for choice in ReminderSettings.LeadTime)
    return timedelta(minutes=longest) + timedelta(hours=1)


def _recipients(team_ids: set[int]) -> dict[int, list[tuple[User, ReminderSettings]]]:
    """Active members per team with their settings, minus those who opted out of the team."""
    members = Membership.objects.filter(team_id__in=team_ids, user__is_active=True).select_related(
        "user", "user__reminder_settings"
    )
    muted = set(TeamOptOut.objects.filter(team_id__in=team_ids).values_list("user_id", "team_id"))
    result: dict[int, list[tuple[User, ReminderSettings]]] = {}
    for membership in members:
        if (membership.user_id, membership.team_id) in muted:
            continue
        user = membership.user
        prefs = getattr(user, "reminder_settings", None) or DEFAULTS
        result.setdefault(membership.team_id, []).append((user, prefs))
    return result


def _wanted_before(now: datetime) -> dict[tuple[int, int], datetime]:
    """(session, user) -> due time for every 'before' reminder that should exist now."""
    sessions = list(
        Session.objects.filter(
            status=Session.Status.PLANNED,
            starts_at__gt=now,
            starts_at__lte=now + _planning_horizon(),
        ).only("id", "team_id", "starts_at")
    )
    recipients = _recipients({s.team_id for s in sessions})
    wanted = {}
    for session in sessions:
        for user, prefs in recipients.get(session.team_id, []):
            if prefs.lead_minutes and prefs.any_channel:
                # A due time already past (a session added at short notice) sends at once.
                wanted[(session.id, user.id)] = session.starts_at - timedelta(
                    minutes=prefs.lead_minutes
                )
    return wanted


def _wanted_nudges(now: datetime) -> dict[tuple[int, int], datetime]:
    held = list(
        Attendance.objects.filter(
            session__status=Session.Status.HELD,
            session__ends_at__lte=now,
            session__ends_at__gt=now - NUDGE_WINDOW,
            user__is_active=True,
        ).select_related("session", "user__reminder_settings")
    )
    team_ids = {attendance.session.team_id for attendance in held}
    muted = set(TeamOptOut.objects.filter(team_id__in=team_ids).values_list("user_id", "team_id"))
    wanted = {}
    for attendance in held:
        prefs = getattr(attendance.user, "reminder_settings", None) or DEFAULTS
        if (attendance.user_id, attendance.session.team_id) in muted:
            continue
        if prefs.nudges and prefs.any_channel:
            wanted[(attendance.session_id, attendance.user_id)] = attendance.session.ends_at
    return wanted


def _wanted_lapses(
    now: datetime, teams=None
) -> dict[tuple[int, int, str], tuple[datetime, lapses.Lapse]]:
    """(team, supervisor, lapse key) -> (due, lapse) for every lapse reminder that should
    exist: each supervisor of a lapsed team who wants lapse alerts through some channel and
    has not muted the team."""
    lapsed = lapses.lapsed_teams(teams, now=now)
    if not lapsed:
        return {}
    supervisors = Membership.objects.filter(
        team_id__in=lapsed, role=Membership.Role.SUPERVISOR, user__is_active=True
    ).select_related("user__reminder_settings")
    muted = set(TeamOptOut.objects.filter(team_id__in=lapsed).values_list("user_id", "team_id"))
    wanted = {}
    for membership in supervisors:
        prefs = getattr(membership.user, "reminder_settings", None) or DEFAULTS
        if (membership.user_id, membership.team_id) in muted:
            continue
        if prefs.lapse_alerts and prefs.any_channel:
            lapse = lapsed[membership.team_id]
            wanted[(membership.team_id, membership.user_id, lapse.key)] = (now, lapse)
    return wanted


def _plan_lapses(now: datetime) -> tuple[int, int]:
    """Lapse reminders: one row per (team, supervisor, lapse), ever. A pending one whose lapse
    ended before it was sent (the team recovered, or the person muted it) is cancelled."""
    wanted = _wanted_lapses(now)
    pending = {
        (r.team_id, r.user_id, r.lapse_key): r
        for r in Reminder.objects.select_for_update(skip_locked=True).filter(
            kind=Reminder.Kind.LAPSE, status=Reminder.Status.PENDING
        )
    }
    stale = [r.pk for key, r in pending.items() if key not in wanted]
    cancelled = Reminder.objects.filter(pk__in=stale).update(status=Reminder.Status.CANCELLED)
    new = [
        Reminder(team_id=team, user_id=user, lapse_key=key, kind=Reminder.Kind.LAPSE, due_at=due)
        for (team, user, key), (due, _) in wanted.items()
        if (team, user, key) not in pending
    ]
    # A row that exists already (sent, cancelled or claimed) stays: the same lapse never
    # gets a second reminder, whichever sweep planned it first.
    created = len(Reminder.objects.bulk_create(new, ignore_conflicts=True))
    return created, cancelled


@transaction.atomic
def reminders_plan(*, now: datetime) -> tuple[int, int]:
    """Creates the reminder rows that should exist, moves pending ones whose session moved,
    and cancels pending ones that no longer apply (skipped session, opt-out, left the team,
    a lapse that ended)."""
    created, cancelled = _plan_lapses(now)
    for kind, wanted in (
        (Reminder.Kind.BEFORE, _wanted_before(now)),
        (Reminder.Kind.NUDGE, _wanted_nudges(now)),
    ):
        pending = {
            (r.session_id, r.user_id): r
            for r in Reminder.objects.select_for_update(skip_locked=True).filter(
                kind=kind, status=Reminder.Status.PENDING
            )
        }
        stale = [r.pk for key, r in pending.items() if key not in wanted]
        cancelled += Reminder.objects.filter(pk__in=stale).update(status=Reminder.Status.CANCELLED)
        moved = []
        for key, reminder in pending.items():
            if key in wanted and reminder.due_at != wanted[key]:
                reminder.due_at = wanted[key]
                moved.append(reminder)
        Reminder.objects.bulk_update(moved, ["due_at"], batch_size=500)
        new = [
            Reminder(session_id=s, user_id=u, kind=kind, due_at=due)
            for (s, u), due in wanted.items()
            if (s, u) not in pending
        ]
        # Rows that already exist (sent, cancelled or claimed) are kept: one per key, ever.
        created += len(Reminder.objects.bulk_create(new, ignore_conflicts=True))
    return created, cancelled


# Delivery ------------------------------------------------------------------------------------


def reminders_recover(*, now: datetime) -> int:
    """Releases claims older than the lease, left by a worker that died mid-batch."""
    expired = now - timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    return Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=expired).update(
        status=Reminder.Status.PENDING, claim_token="", claimed_at=None
    )


def reminders_claim(*, now: datetime, limit: int) -> tuple[str, list[int]]:
    token = secrets.token_hex(8)
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.PENDING, due_at__lte=now)
            .order_by("due_at")
            .values_list("id", flat=True)[:limit]
        )
        Reminder.objects.filter(pk__in=ids).update(
            status=Reminder.Status.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    return token, ids


def reminders_deliver(*, token: str, ids: list[int], now: datetime) -> int:
    """Sends the claimed reminders one by one, marking each sent (with its in-app
    notification) right after its e-mail, so a crash can repeat at most the one in flight."""
    reminders = list(
        Reminder.objects.filter(pk__in=ids, claim_token=token, status=Reminder.Status.SENDING)
        .select_related("user", "user__reminder_settings", "session", "session__team", "team")
        .prefetch_related("session__prompts")
        .order_by("due_at", "pk")
    )
    _attach_lapses(reminders, now)
    dropped = [r.pk for r in reminders if not _still_wanted(r, now)]
    Reminder.objects.filter(pk__in=dropped, claim_token=token).update(
        status=Reminder.Status.CANCELLED
    )
    sent = 0
    factory = emails.MessageFactory()
    connection = emails.open_connection()
    try:
        for reminder in reminders:
            if reminder.pk in dropped:
                continue
            prefs = _prefs(reminder)
            if prefs.by_email and reminder.user.email:
                message = factory.build(reminder, unsubscribe_token(reminder.user))
                emails.send_one(connection, message)
            sent += _mark_sent(reminder, token=token, now=now, in_app=prefs.in_app)
    finally:
        connection.close()
    return sent


MARK_SENT = """
    WITH marked AS (
        UPDATE notifications_reminder SET status = 'sent', sent_at = %(now)s
        WHERE id = %(id)s AND claim_token = %(token)s AND status = 'sending'
        RETURNING id, user_id, kind, session_id, team_id
    )
    INSERT INTO notifications_notification
        (user_id, kind, session_id, team_id, reminder_id, created_at)
    SELECT user_id, kind, session_id, team_id, id, %(now)s FROM marked WHERE %(in_app)s
    RETURNING (SELECT count(*) FROM marked)
"""
MARK_SENT_NO_NOTIFICATION = """
    UPDATE notifications_reminder SET status = 'sent', sent_at = %(now)s
    WHERE id = %(id)s AND claim_token = %(token)s AND status = 'sending'
"""


def _mark_sent(reminder: Reminder, *, token: str, now: datetime, in_app: bool) -> int:
    """Marks one reminder sent and adds its in-app notification in one statement (atomic on
    its own, one round trip): only the holder of the claim can mark it."""
    params = {"id": reminder.pk, "token": token, "now": now, "in_app": in_app}
    with connection.cursor() as cursor:
        if in_app:
            cursor.execute(MARK_SENT, params)
            return 1 if cursor.fetchone() else 0
        cursor.execute(MARK_SENT_NO_NOTIFICATION, params)
        return cursor.rowcount


def _prefs(reminder: Reminder) -> ReminderSettings:
    return getattr(reminder.user, "reminder_settings", None) or DEFAULTS


def _attach_lapses(reminders: list[Reminder], now: datetime) -> None:
    """Gives each lapse reminder of a batch `.lapse`: its team's lapse if it is still the one
    the reminder is about and the person still wants to hear of it, else None (two queries for
    the batch, none without lapse reminders)."""
    about_lapses = [r for r in reminders if r.kind == Reminder.Kind.LAPSE]
    if not about_lapses:
        return
    team_ids = {r.team_id for r in about_lapses}
    wanted = _wanted_lapses(now, Team.objects.filter(pk__in=team_ids))
    for reminder in about_lapses:
        found = wanted.get((reminder.team_id, reminder.user_id, reminder.lapse_key))
        reminder.lapse = found[1] if found else None


def _still_wanted(reminder: Reminder, now: datetime) -> bool:
    if reminder.kind == Reminder.Kind.LAPSE:
        return reminder.lapse is not None
    session = reminder.session
    if reminder.kind == Reminder.Kind.BEFORE:
        return session.status == Session.Status.PLANNED and session.starts_at > now
    return session.status == Session.Status.HELD


def reminders_sweep(
    *, now: datetime | None = None, budget: float = 50.0, dispatch=None
) -> SweepResult:
    """One sweep: plan, recover expired claims, then claim due reminders in batches until none
    are left, the time budget (seconds) is spent or REMINDER_MAX_BATCHES are claimed.

    Each claimed batch goes to `dispatch(token, ids)` (the Celery task hands it to a worker,
    so workers deliver in parallel), or is delivered here when no dispatcher is given."""
    now = now or timezone.now()
    result = SweepResult()
    result.planned, result.cancelled = reminders_plan(now=now)
    result.recovered = reminders_recover(now=now)
    started = time.monotonic()
    for _ in range(settings.REMINDER_MAX_BATCHES):
        if time.monotonic() - started > budget:
            break
        token, ids = reminders_claim(now=now, limit=settings.REMINDER_BATCH_SIZE)
        if not ids:
            break
        if dispatch is None:
            result.sent += reminders_deliver(token=token, ids=ids, now=now)
        else:
            dispatch(token, ids)
            result.dispatched += len(ids)
    return result


# Answers to questions -------------------------------------------------------------------------


def question_answered_notify(*, question) -> bool:
    """Tells a named asker who asked to be told that their question got an answer.

    Never for an anonymous question: there is no asker to tell, and a row would be the very
    link anonymity forbids (anonymous askers are told by their own browser:
    notifications.answer_cookie). One unread notice per question is enough."""
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
