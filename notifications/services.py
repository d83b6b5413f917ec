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
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from notifications import emails, portable
from notifications.models import Notification, Reminder, ReminderSettings, TeamOptOut
from reflections import lapse as lapses
from reflections.models import Session
from teams.models import Membership, OrgRole, Team, User

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
NUDGE_WINDOW = timedelta(days=2)
DEFAULTS = ReminderSettings()


class UnsubscribeInvalid(Exception):
    pass


class UnsubscribeExpired(UnsubscribeInvalid):
    """Genuine but older than UNSUBSCRIBE_MAX_AGE_DAYS: a forwarded or leaked old e-mail
    should not keep working as a key to someone's settings."""


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
    # The same as signing.dumps(); delivery signs a batch with one signer.
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign_object({"u": user.pk})


def user_from_unsubscribe_token(token: str) -> User:
    max_age = timedelta(days=settings.UNSUBSCRIBE_MAX_AGE_DAYS)
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise UnsubscribeExpired from exc
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


# The reminders that should exist, as (session_id, user_id, due_at) rows: members of the
# session's team (for 'before') or those who took part (for a nudge), active, with that
# reminder and some channel on (ReminderSettings' defaults when they have none), not opted out
# of the team, and without a reminder already sent, cancelled or being sent (one per
# (session, person, kind), ever). A due time already past (a session added at short notice)
# sends at once.
WANTED_BEFORE = """
    SELECT s.id, m.user_id,
           s.starts_at - make_interval(mins => COALESCE(rs.lead_minutes, %(lead_minutes)s))
    FROM reflections_session s
    JOIN teams_membership m ON m.team_id = s.team_id
    JOIN teams_user u ON u.id = m.user_id AND u.is_active
    LEFT JOIN notifications_remindersettings rs ON rs.user_id = m.user_id
    WHERE s.status = 'planned' AND s.starts_at > %(now)s AND s.starts_at <= %(horizon)s
      AND COALESCE(rs.lead_minutes, %(lead_minutes)s) > 0
      AND (COALESCE(rs.by_email, %(by_email)s) OR COALESCE(rs.in_app, %(in_app)s))
      AND NOT EXISTS (
          SELECT 1 FROM notifications_teamoptout o
          WHERE o.user_id = m.user_id AND o.team_id = s.team_id
      )
      AND NOT EXISTS (
          SELECT 1 FROM notifications_reminder r
          WHERE r.session_id = s.id AND r.user_id = m.user_id AND r.kind = 'before'
            AND r.status <> 'pending'
      )
"""
WANTED_NUDGES = """
    SELECT a.session_id, a.user_id, s.ends_at
    FROM reflections_attendance a
    JOIN reflections_session s ON s.id = a.session_id
    JOIN teams_user u ON u.id = a.user_id AND u.is_active
    LEFT JOIN notifications_remindersettings rs ON rs.user_id = a.user_id
    WHERE s.status = 'held' AND s.ends_at <= %(now)s AND s.ends_at > %(nudge_since)s
      AND COALESCE(rs.nudges, %(nudges)s)
      AND (COALESCE(rs.by_email, %(by_email)s) OR COALESCE(rs.in_app, %(in_app)s))
      AND NOT EXISTS (
          SELECT 1 FROM notifications_teamoptout o
          WHERE o.user_id = a.user_id AND o.team_id = s.team_id
      )
      AND NOT EXISTS (
          SELECT 1 FROM notifications_reminder r
          WHERE r.session_id = a.session_id AND r.user_id = a.user_id AND r.kind = 'nudge'
            AND r.status <> 'pending'
      )
"""
# Pending rows another sweep holds are skipped, not waited for.
PENDING = """
    SELECT id, session_id, user_id, due_at FROM notifications_reminder
    WHERE kind = %s AND status = 'pending'
    FOR UPDATE SKIP LOCKED
"""
CANCEL = "UPDATE notifications_reminder SET status = 'cancelled' WHERE id = ANY(%s)"
MOVE = """
    UPDATE notifications_reminder r SET due_at = v.due_at
    FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, due_at)
    WHERE r.id = v.id
"""
CREATE = """
    INSERT INTO notifications_reminder
        (session_id, user_id, kind, due_at, status, claim_token, attempts, lapse_key)
    SELECT v.session_id, v.user_id, %s, v.due_at, 'pending', '', 0, ''
    FROM unnest(%s::bigint[], %s::bigint[], %s::timestamptz[]) AS v(session_id, user_id, due_at)
    ON CONFLICT (session_id, user_id, kind) DO NOTHING
"""


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
    a lapse that ended).

    Set-based: per kind, two reads (wanted rows, pending rows) and at most three writes,
    whatever the number of people. The comparison is done here on plain tuples rather than
    in one SQL statement, whose plan would depend on fresh table statistics."""
    params = {
        "now": now,
        "horizon": now + _planning_horizon(),
        "nudge_since": now - NUDGE_WINDOW,
        "lead_minutes": DEFAULTS.lead_minutes,
        "by_email": DEFAULTS.by_email,
        "in_app": DEFAULTS.in_app,
        "nudges": DEFAULTS.nudges,
    }
    created, cancelled = _plan_lapses(now)
    if connection.vendor != "postgresql":  # the embedded SQLite default
        return portable.plan(
            now,
            horizon=_planning_horizon(),
            nudge_window=NUDGE_WINDOW,
            defaults=DEFAULTS,
            created=created,
            cancelled=cancelled,
        )
    with connection.cursor() as cursor:
        for kind, wanted_sql in (
            (Reminder.Kind.BEFORE, WANTED_BEFORE),
            (Reminder.Kind.NUDGE, WANTED_NUDGES),
        ):
            cursor.execute(wanted_sql, params)
            wanted = {(session, user): due for session, user, due in cursor.fetchall()}
            cursor.execute(PENDING, [kind.value])
            pending = {(session, user): (pk, due) for pk, session, user, due in cursor}
            stale = [pk for key, (pk, _) in pending.items() if key not in wanted]
            moved = [
                (pk, wanted[key])
                for key, (pk, due) in pending.items()
                if key in wanted and due != wanted[key]
            ]
            new = [(s, u, due) for (s, u), due in wanted.items() if (s, u) not in pending]
            if stale:
                cursor.execute(CANCEL, [stale])
                cancelled += cursor.rowcount
            if moved:
                cursor.execute(MOVE, [list(column) for column in zip(*moved, strict=True)])
            if new:
                sessions, users, dues = (list(column) for column in zip(*new, strict=True))
                cursor.execute(CREATE, [kind.value, sessions, users, dues])
                created += cursor.rowcount
    return created, cancelled


# Delivery ------------------------------------------------------------------------------------


def reminders_recover(*, now: datetime) -> int:
    """Releases claims older than the lease, left by a worker that died mid-batch."""
    expired = now - timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    return Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=expired).update(
        status=Reminder.Status.PENDING, claim_token="", claimed_at=None
    )


# The CTE runs exactly once (a LIMIT ... SKIP LOCKED subquery under IN could be re-run by
# the planner and claim different rows).
CLAIM = """
    WITH claimable AS MATERIALIZED (
        SELECT id FROM notifications_reminder
        WHERE status = 'pending' AND due_at <= %(now)s
        ORDER BY due_at
        LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    )
    UPDATE notifications_reminder r
    SET status = 'sending', claim_token = %(token)s, claimed_at = %(now)s, attempts = attempts + 1
    FROM claimable c
    WHERE r.id = c.id
    RETURNING r.id
"""


def reminders_claim(*, now: datetime, limit: int) -> tuple[str, list[int]]:
    """Claims up to `limit` due reminders in one statement; rows another sweep is claiming
    are skipped, so no two claims ever share a row."""
    token = secrets.token_hex(8)
    if connection.vendor != "postgresql":  # the embedded SQLite default
        return token, portable.claim(now=now, limit=limit, token=token)
    with connection.cursor() as cursor:
        cursor.execute(CLAIM, {"token": token, "now": now, "limit": limit})
        ids = sorted(row[0] for row in cursor.fetchall())
    return token, ids


def reminders_deliver(*, token: str, ids: list[int], now: datetime) -> int:
    """Sends the claimed reminders one by one, marking each sent (with its in-app
    notification) right after its e-mail, so a crash can repeat at most the one in flight."""
    sessions = Session.objects.select_related("team").prefetch_related("prompts")
    reminders = list(
        Reminder.objects.filter(pk__in=ids, claim_token=token, status=Reminder.Status.SENDING)
        .select_related("user", "user__reminder_settings", "team")
        # One Session object per session, shared by its reminders (rendered once each).
        .prefetch_related(Prefetch("session", queryset=sessions))
        .order_by("due_at", "pk")
    )
    _attach_lapses(reminders, now)
    dropped = {r.pk for r in reminders if not _still_wanted(r, now)}
    if dropped:
        Reminder.objects.filter(pk__in=dropped, claim_token=token).update(
            status=Reminder.Status.CANCELLED
        )
    sent = 0
    factory = emails.MessageFactory()
    signer = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT)
    mail = emails.open_connection()
    try:
        with _commit_mode():
            for reminder in reminders:
                if reminder.pk in dropped:
                    continue
                prefs = _prefs(reminder)
                if prefs.by_email and reminder.user.email:
                    token_for_link = signer.sign_object({"u": reminder.user_id})
                    emails.send_one(mail, factory.build(reminder, token_for_link))
                sent += _mark_sent(reminder, token=token, now=now, in_app=prefs.in_app)
    finally:
        mail.close()
    return sent


@contextmanager
def _commit_mode():
    """With REMINDER_ASYNC_COMMIT, the 'sent' marks of this delivery commit without waiting
    for PostgreSQL to flush them to disk (synchronous_commit off, this connection only). A
    killed worker loses nothing (its commits are already in the server); only a crash of the
    database server itself can lose the last fraction of a second of marks, whose e-mails
    are then sent again with the same Message-ID. Off by default: each mark is durable."""
    if not settings.REMINDER_ASYNC_COMMIT or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


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
    if connection.vendor != "postgresql":  # the embedded SQLite default
        return portable.mark_sent(reminder, token=token, now=now, in_app=in_app)
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
