"""Reminder planning and delivery, preferences and unsubscribe.

Delivery design: the database decides what has been sent. A sweep (Celery beat every minute,
or `manage.py run_reminders` without Redis) plans reminder rows ahead, then claims due rows in
batches as a lease (a conditional UPDATE of pending rows; FOR UPDATE SKIP LOCKED where the
database has it, PostgreSQL; SQLite runs one writer at a time), sends them, and marks them
sent in one transaction together with the in-app notification. The same ORM code runs on
PostgreSQL and on the embedded SQLite default. Two sweeps never claim the same row; a
sweep that dies leaves its claimed rows to be claimed again when the lease expires. E-mail is
at-least-once in that crash window only, with a stable Message-ID per reminder so mail clients
treat a re-sent copy as the same message; in-app notifications are exactly once (one per
reminder, enforced by a unique key).
"""

import secrets
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Prefetch, Q
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


def _prefs_of(lead_minutes, by_email, in_app, nudges) -> ReminderSettings:
    """A person's settings from a LEFT JOIN's columns (None: no row, the defaults apply)."""
    if lead_minutes is None:
        return DEFAULTS
    return ReminderSettings(
        lead_minutes=lead_minutes, by_email=by_email, in_app=in_app, nudges=nudges
    )


PREFS = (
    "user__reminder_settings__lead_minutes",
    "user__reminder_settings__by_email",
    "user__reminder_settings__in_app",
    "user__reminder_settings__nudges",
)


def _not_muted(team: str) -> Exists:
    return ~Exists(TeamOptOut.objects.filter(user_id=OuterRef("user_id"), team_id=OuterRef(team)))


def _wanted_before(now: datetime) -> dict[tuple[int, int], tuple[datetime, datetime | None]]:
    """(session, person) -> (due time, session start) for each reminder before a planned
    session: members of its team, active, with a lead time and some channel on
    (ReminderSettings' defaults when they have none), not opted out of the team. A due time
    already past (a session added at short notice) sends at once."""
    sessions = Session.objects.filter(
        status=Session.Status.PLANNED, starts_at__gt=now, starts_at__lte=now + _planning_horizon()
    ).values_list("pk", "team_id", "starts_at")
    by_team: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
    for pk, team_id, starts_at in sessions:
        by_team[team_id].append((pk, starts_at))
    members = (
        Membership.objects.filter(team_id__in=by_team, user__is_active=True)
        .filter(_not_muted("team_id"))
        .values_list("team_id", "user_id", *PREFS)
    )
    wanted = {}
    for team_id, user_id, *columns in members:
        prefs = _prefs_of(*columns)
        if prefs.lead_minutes and prefs.any_channel:
            lead = timedelta(minutes=prefs.lead_minutes)
            for session_id, starts_at in by_team[team_id]:
                wanted[(session_id, user_id)] = (starts_at - lead, starts_at)
    return wanted


def _wanted_nudges(now: datetime) -> dict[tuple[int, int], tuple[datetime, datetime | None]]:
    """(session, person) -> (due time, None) for each nudge after a session held in the last
    NUDGE_WINDOW: those who took part, active, with nudges and some channel on, not opted
    out of the team."""
    attended = (
        Attendance.objects.filter(
            session__status=Session.Status.HELD,
            session__ends_at__lte=now,
            session__ends_at__gt=now - NUDGE_WINDOW,
            user__is_active=True,
        )
        .filter(_not_muted("session__team_id"))
        .values_list("session_id", "user_id", "session__ends_at", *PREFS)
    )
    wanted = {}
    for session_id, user_id, ends_at, *columns in attended:
        prefs = _prefs_of(*columns)
        if prefs.nudges and prefs.any_channel:
            wanted[(session_id, user_id)] = (ends_at, None)
    return wanted


def _plan_session_reminders(
    kind: Reminder.Kind, wanted: dict[tuple[int, int], tuple[datetime, datetime | None]]
) -> tuple[int, int]:
    """Brings one kind of session reminder in line with `wanted`: cancels pending rows no
    longer wanted, moves those whose due time changed, creates the missing ones. One row per
    (session, person, kind), ever: a reminder already sent or cancelled is not planned again.

    Pending rows another sweep has locked (where the database locks rows) are skipped, not
    waited for; a row created meanwhile by another sweep is left as it is (the unique key)."""
    pending = {
        (session_id, user_id): (pk, (due, starts))
        for pk, session_id, user_id, due, starts in Reminder.objects.select_for_update(
            skip_locked=True
        )
        .filter(kind=kind, status=Reminder.Status.PENDING)
        .values_list("pk", "session_id", "user_id", "due_at", "starts_at")
    }
    settled = set(
        Reminder.objects.filter(kind=kind, session_id__in={s for s, _ in wanted})
        .exclude(status=Reminder.Status.PENDING)
        .values_list("session_id", "user_id")
    )
    stale = [pk for key, (pk, _) in pending.items() if key not in wanted]
    cancelled = 0
    if stale:
        cancelled = Reminder.objects.filter(pk__in=stale, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CANCELLED
        )
    # One UPDATE per new due time: a moved session moves all its people's reminders at once.
    moved: dict[tuple[datetime, datetime | None], list[int]] = defaultdict(list)
    for key, (pk, planned) in pending.items():
        if key in wanted and wanted[key] != planned:
            moved[wanted[key]].append(pk)
    for (due, starts), pks in moved.items():
        Reminder.objects.filter(pk__in=pks).update(due_at=due, starts_at=starts)
    new = [
        Reminder(session_id=session_id, user_id=user_id, kind=kind, due_at=due, starts_at=starts)
        for (session_id, user_id), (due, starts) in wanted.items()
        if (session_id, user_id) not in pending and (session_id, user_id) not in settled
    ]
    created = len(Reminder.objects.bulk_create(new, ignore_conflicts=True)) if new else 0
    return created, cancelled


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
    # Sent, cancelled or being sent: the same lapse never gets a second reminder.
    settled = set(
        Reminder.objects.filter(kind=Reminder.Kind.LAPSE, team_id__in={t for t, _, _ in wanted})
        .exclude(status=Reminder.Status.PENDING)
        .values_list("team_id", "user_id", "lapse_key")
    )
    stale = [r.pk for key, r in pending.items() if key not in wanted]
    cancelled = Reminder.objects.filter(pk__in=stale).update(status=Reminder.Status.CANCELLED)
    new = [
        Reminder(team_id=team, user_id=user, lapse_key=key, kind=Reminder.Kind.LAPSE, due_at=due)
        for (team, user, key), (due, _) in wanted.items()
        if (team, user, key) not in pending and (team, user, key) not in settled
    ]
    # A row another sweep created meanwhile stays (the unique key), whichever planned it first.
    created = len(Reminder.objects.bulk_create(new, ignore_conflicts=True)) if new else 0
    return created, cancelled


NOTICE_KINDS = (Reminder.Kind.MOVED, Reminder.Kind.CANCEL)
# The messages that tell a person when a session is (or that it is off).
TELLING_KINDS = (Reminder.Kind.BEFORE, Reminder.Kind.MOVED, Reminder.Kind.CANCEL)


def _wanted_notices(now: datetime) -> set[tuple[int, int, str, datetime]]:
    """(session, person, kind, start) for each "moved" or "cancelled" notice that should
    exist: for each upcoming session whose last message sent to a person (its reminder, or a
    notice) told another start than the session has now, or told of a session since
    skipped (a restored one gets a "moved" notice with its time). Only for those still in the
    team, active, with some channel on and the team not muted, as for reminders.

    Two queries when something changed, one when nothing did: the sessions with a message
    that no longer holds are found by the database."""
    sent = Reminder.objects.filter(
        kind__in=TELLING_KINDS,
        status=Reminder.Status.SENT,
        starts_at__isnull=False,
        session__starts_at__gt=now,
    )
    changed = sent.filter(
        Q(kind=Reminder.Kind.CANCEL, session__status=Session.Status.PLANNED)
        | (
            ~Q(kind=Reminder.Kind.CANCEL)
            & (Q(session__status=Session.Status.SKIPPED) | ~Q(starts_at=F("session__starts_at")))
        )
    )
    # Sliced to nothing or one row: most sweeps end here.
    if not changed.values("pk")[:1]:
        return set()
    member = Membership.objects.filter(
        team_id=OuterRef("session__team_id"), user_id=OuterRef("user_id")
    )
    rows = (
        sent.filter(session_id__in=changed.values("session_id"), user__is_active=True)
        .filter(Exists(member), _not_muted("session__team_id"))
        .order_by("sent_at", "pk")
        .values_list(
            "session_id",
            "user_id",
            "kind",
            "starts_at",
            "session__starts_at",
            "session__status",
            *PREFS,
        )
    )
    last = {}
    for session_id, user_id, *rest in rows:
        last[(session_id, user_id)] = rest  # the latest message sent wins
    wanted = set()
    for (session_id, user_id), (kind, told, starts, status, *columns) in last.items():
        if not _prefs_of(*columns).any_channel:
            continue
        if kind == Reminder.Kind.CANCEL:
            if status == Session.Status.PLANNED:
                wanted.add((session_id, user_id, Reminder.Kind.MOVED, starts))
        elif status == Session.Status.SKIPPED:
            wanted.add((session_id, user_id, Reminder.Kind.CANCEL, starts))
        elif status == Session.Status.PLANNED and told != starts:
            wanted.add((session_id, user_id, Reminder.Kind.MOVED, starts))
    return wanted


def _plan_notices(now: datetime) -> tuple[int, int]:
    """Plans the "moved" and "cancelled" notices, due at once, and cancels pending ones that
    no longer hold (the session moved again, or back). A notice cancelled before it went out
    is planned again if it comes to hold again; a sent one never is (the unique keys: one
    "cancelled" per session and person, one "moved" per session, person and new start).

    With nothing wanted (most sweeps) the open rows are not read: a pending notice that no
    longer holds is dropped by the delivery (_still_wanted) instead."""
    wanted = _wanted_notices(now)
    if not wanted:
        return 0, 0
    open_rows = {
        (session_id, user_id, kind, starts): (pk, status)
        for pk, session_id, user_id, kind, starts, status in Reminder.objects.select_for_update(
            skip_locked=True, of=("self",)
        )
        .filter(kind__in=NOTICE_KINDS, session__starts_at__gt=now)
        .filter(status__in=[Reminder.Status.PENDING, Reminder.Status.CANCELLED])
        .values_list("pk", "session_id", "user_id", "kind", "starts_at", "status")
    }
    stale = [
        pk
        for key, (pk, status) in open_rows.items()
        if status == Reminder.Status.PENDING and key not in wanted
    ]
    cancelled = 0
    if stale:
        cancelled = Reminder.objects.filter(pk__in=stale, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CANCELLED
        )
    again = [
        pk
        for key, (pk, status) in open_rows.items()
        if status == Reminder.Status.CANCELLED and key in wanted
    ]
    if again:
        Reminder.objects.filter(pk__in=again, status=Reminder.Status.CANCELLED).update(
            status=Reminder.Status.PENDING, due_at=now
        )
    new = [
        Reminder(session_id=session, user_id=user, kind=kind, starts_at=starts, due_at=now)
        for session, user, kind, starts in wanted
        if (session, user, kind, starts) not in open_rows
    ]
    created = len(Reminder.objects.bulk_create(new, ignore_conflicts=True)) if new else 0
    return created + len(again), cancelled


def reminders_plan(*, now: datetime) -> tuple[int, int]:
    """Creates the reminder rows that should exist, moves pending ones whose session moved,
    and cancels pending ones that no longer apply (skipped session, opt-out, left the team,
    a lapse that ended). Returns (created, cancelled); `created` counts the rows offered,
    including any another sweep inserted first.

    Set-based, in one transaction: per kind a few reads (what should exist, the pending rows,
    the settled ones) and at most a cancel, one move per new due time and one insert, whatever
    the number of people. The comparison is done here on plain tuples."""
    with transaction.atomic():  # on SQLite it begins IMMEDIATE (learning_lead/env.py)
        created, cancelled = _plan_lapses(now)
        for kind, wanted in (
            (Reminder.Kind.BEFORE, _wanted_before(now)),
            (Reminder.Kind.NUDGE, _wanted_nudges(now)),
        ):
            kind_created, kind_cancelled = _plan_session_reminders(kind, wanted)
            created += kind_created
            cancelled += kind_cancelled
        # After the reminders: a pending reminder of a moved session was moved above and will
        # tell the new time itself; only those already told the old one need a notice.
        notices_created, notices_cancelled = _plan_notices(now)
    return created + notices_created, cancelled + notices_cancelled


# Delivery ------------------------------------------------------------------------------------


def reminders_recover(*, now: datetime) -> int:
    """Releases claims older than the lease, left by a worker that died mid-batch."""
    expired = now - timedelta(seconds=settings.REMINDER_LEASE_SECONDS)
    return Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=expired).update(
        status=Reminder.Status.PENDING, claim_token="", claimed_at=None
    )


def reminders_claim(*, now: datetime, limit: int) -> tuple[str, list[int]]:
    """Claims up to `limit` due reminders, earliest first: rows another sweep is claiming are
    skipped (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer at a time, the
    transaction holding the write lock from its start), and only rows still pending are
    updated, so no two claims ever share a row."""
    token = secrets.token_hex(8)
    with transaction.atomic():  # on SQLite it begins IMMEDIATE (learning_lead/env.py)
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.PENDING, due_at__lte=now)
            .order_by("due_at")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Reminder.objects.filter(pk__in=ids, status=Reminder.Status.PENDING).update(
                status=Reminder.Status.SENDING,
                claim_token=token,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
    return token, sorted(ids)


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


# PostgreSQL: the mark and the notification in one statement, one round trip instead of four
# (BEGIN, UPDATE, INSERT, COMMIT), and no queryset built per reminder; bench/RESULTS.md
# (`--orm-mark`) measured what the ORM path costs. Other databases take _mark_sent_orm.
MARK_SENT = """
    WITH marked AS (
        UPDATE notifications_reminder
        SET status = 'sent', sent_at = %(now)s, starts_at = COALESCE(%(starts)s, starts_at)
        WHERE id = %(id)s AND claim_token = %(token)s AND status = 'sending'
        RETURNING id, user_id, kind, session_id, team_id
    )
    INSERT INTO notifications_notification
        (user_id, kind, session_id, team_id, reminder_id, created_at)
    SELECT user_id, kind, session_id, team_id, id, %(now)s FROM marked
    RETURNING (SELECT count(*) FROM marked)
"""
MARK_SENT_ONLY = """
    UPDATE notifications_reminder
    SET status = 'sent', sent_at = %(now)s, starts_at = COALESCE(%(starts)s, starts_at)
    WHERE id = %(id)s AND claim_token = %(token)s AND status = 'sending'
"""


def _mark_sent(reminder: Reminder, *, token: str, now: datetime, in_app: bool) -> int:
    """Marks one reminder sent and adds its in-app notification atomically: only the holder
    of the claim can mark it, and the notification's unique key makes it one per reminder.
    A reminder before a session records the start it told (the session may have moved since
    it was planned), which is what a later "moved" notice is compared with."""
    if connection.vendor != "postgresql":
        return _mark_sent_orm(reminder, token=token, now=now, in_app=in_app)
    params = {"id": reminder.pk, "token": token, "now": now, "starts": _told_start(reminder)}
    with connection.cursor() as cursor:
        cursor.execute(MARK_SENT if in_app else MARK_SENT_ONLY, params)
        return cursor.rowcount if not in_app else (1 if cursor.fetchone() else 0)


def _mark_sent_orm(reminder: Reminder, *, token: str, now: datetime, in_app: bool) -> int:
    with transaction.atomic():  # on SQLite it begins IMMEDIATE (learning_lead/env.py)
        marked = Reminder.objects.filter(
            pk=reminder.pk, claim_token=token, status=Reminder.Status.SENDING
        ).update(
            status=Reminder.Status.SENT,
            sent_at=now,
            starts_at=_told_start(reminder) or F("starts_at"),
        )
        if marked and in_app:
            Notification.objects.create(
                user_id=reminder.user_id,
                kind=reminder.kind,
                session_id=reminder.session_id,
                team_id=reminder.team_id,
                reminder_id=reminder.pk,
            )
    return marked


def _told_start(reminder: Reminder) -> datetime | None:
    if reminder.kind == Reminder.Kind.BEFORE:
        return reminder.session.starts_at
    return None


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
    if reminder.kind == Reminder.Kind.MOVED:
        # Moved again since it was planned: the next sweep plans a notice with the new time.
        return session.status == Session.Status.PLANNED and session.starts_at == reminder.starts_at
    if reminder.kind == Reminder.Kind.CANCEL:
        return session.status == Session.Status.SKIPPED
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
