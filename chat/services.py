"""Chat channels: connecting, changing and removing them (with their audit rows), planning the
notices a team's channels get, and posting each notice to each channel once.

Delivery design, as for reminders: the database decides. A sweep (Celery beat every minute)
plans notices (one per team, kind and key, ever) with one delivery row per enabled channel,
then hands due deliveries to workers. A worker claims a delivery with a conditional update
(only one claim can win), posts, and marks it sent, to be retried later, or failed. A worker
that dies leaves its claim to expire (CHAT_LEASE_SECONDS) and be claimed again; only a worker
killed after the receiver took the post but before the mark is written can make it post twice,
the same narrow window as e-mail (webhooks have no idempotency key to close it).
"""

import logging
import random
import secrets
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chat import crypto, payloads, webhooks
from chat.models import ChatDelivery, ChatDestination, ChatNotice
from notifications.models import Notification
from privacy import audit as privacy_audit
from privacy.models import AuditEvent
from reflections import lapse as lapses
from reflections.models import ForwardedItem, Prompt, Question, Session
from teams.models import Membership, Team, User

logger = logging.getLogger(__name__)

NUDGE_WINDOW = timedelta(hours=12)
ANSWER_WINDOW = timedelta(days=1)
BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 60 * 60
GONE = {403, 404, 410}
WANTS = {
    ChatNotice.Kind.BEFORE: "send_reminders",
    ChatNotice.Kind.NUDGE: "send_nudges",
    ChatNotice.Kind.QUESTIONS: "send_questions",
    ChatNotice.Kind.ANSWER: "send_answers",
    ChatNotice.Kind.LAPSE: "send_lapses",
}
SETTINGS_FIELDS = ["name", "language", *WANTS.values()]


# Channels -----------------------------------------------------------------------------------


@transaction.atomic
def destination_add(
    *,
    team: Team,
    kind: str,
    name: str,
    url: str,
    language: str,
    actor: User | None = None,
    ip_address: str | None = None,
    **wants: bool,
) -> ChatDestination:
    """Connects a channel. The URL must pass webhooks.check_url (the form checks it first)."""
    if webhooks.check_url(kind, url):
        raise ValueError("webhook URL not allowed")
    url = url.strip()
    destination = ChatDestination.objects.create(
        team=team,
        kind=kind,
        name=name,
        url_encrypted=crypto.encrypt(url),
        url_hint=webhooks.hint(url),
        language=language,
        **{field: value for field, value in wants.items() if field in WANTS.values()},
    )
    _audit(destination, AuditEvent.Action.CHAT_CHANNEL_ADD, actor, ip_address)
    return destination


@transaction.atomic
def destination_update(
    *,
    destination: ChatDestination,
    name: str,
    language: str,
    url: str = "",
    enabled: bool = True,
    actor: User | None = None,
    ip_address: str | None = None,
    **wants: bool,
) -> ChatDestination:
    """Changes a channel's settings; a new URL (optional) replaces the stored one, and
    switching it on again forgets its failures."""
    destination = ChatDestination.objects.select_for_update().get(pk=destination.pk)
    destination.name, destination.language = name, language
    for field, value in wants.items():
        if field in WANTS.values():
            setattr(destination, field, value)
    fields = [*SETTINGS_FIELDS, "enabled", "failure_count", "disabled_reason"]
    if url:
        if webhooks.check_url(destination.kind, url):
            raise ValueError("webhook URL not allowed")
        destination.url_encrypted = crypto.encrypt(url.strip())
        destination.url_hint = webhooks.hint(url.strip())
        fields += ["url_encrypted", "url_hint"]
    if enabled and not destination.enabled:
        destination.failure_count, destination.disabled_reason = 0, ""
    destination.enabled = enabled
    destination.save(update_fields=fields)
    _audit(destination, AuditEvent.Action.CHAT_CHANNEL_CHANGE, actor, ip_address)
    return destination


@transaction.atomic
def destination_remove(
    *, destination: ChatDestination, actor: User | None = None, ip_address: str | None = None
) -> None:
    _audit(destination, AuditEvent.Action.CHAT_CHANNEL_REMOVE, actor, ip_address)
    destination.delete()


def _audit(destination: ChatDestination, action: str, actor, ip_address) -> None:
    privacy_audit.audit_record(
        organization=destination.team.organization_id,
        action=action,
        actor=actor,
        target=f"{destination.team.name}: {destination.name} ({destination.url_hint})",
        ip_address=ip_address,
    )


def destination_test(*, destination: ChatDestination, now: datetime | None = None) -> str:
    """Posts a test message to the channel now and says how it went (a delivery status)."""
    now = now or timezone.now()
    notice = ChatNotice.objects.create(
        team_id=destination.team_id,
        kind=ChatNotice.Kind.TEST,
        key=secrets.token_hex(16),
        created_at=now,
    )
    delivery = ChatDelivery.objects.create(
        notice=notice, destination=destination, next_attempt_at=now
    )
    return delivery_send(delivery_id=delivery.pk, now=now)


def keys_rotate() -> int:
    """Re-encrypts every stored URL under the newest key (CHAT_ENCRYPTION_KEYS' first)."""
    rotated = 0
    for destination in ChatDestination.objects.only("pk", "url_encrypted").iterator():
        ChatDestination.objects.filter(pk=destination.pk).update(
            url_encrypted=crypto.rotate(destination.url_encrypted)
        )
        rotated += 1
    return rotated


# Planning -------------------------------------------------------------------------------------


def _channels(kind: str):
    return ChatDestination.objects.filter(enabled=True, **{WANTS[kind]: True})


def _notice(team_id: int, kind: str, key: str, now: datetime, **fields) -> int:
    """Creates the notice unless it exists, with a delivery to each channel of the team that
    wants it; the number of deliveries created."""
    notice, created = ChatNotice.objects.get_or_create(
        team_id=team_id, kind=kind, key=key, defaults={"created_at": now, **fields}
    )
    if not created:
        return 0
    deliveries = [
        ChatDelivery(notice=notice, destination_id=pk, next_attempt_at=now)
        for pk in _channels(kind).filter(team_id=team_id).values_list("pk", flat=True)
    ]
    return len(ChatDelivery.objects.bulk_create(deliveries, ignore_conflicts=True))


@transaction.atomic
def notices_plan(*, now: datetime) -> int:
    """Plans what the channels should get by now: sessions about to start, sessions just held,
    yesterday's new questions (a count, once the team's day has started), HR's answers and
    rhythm lapses. Each notice exists once, whichever sweep plans it first."""
    created = 0
    lead = timedelta(minutes=settings.CHAT_REMINDER_LEAD_MINUTES)
    teams = _channels(ChatNotice.Kind.BEFORE).values("team_id")
    for session in Session.objects.filter(
        team_id__in=teams,
        status=Session.Status.PLANNED,
        starts_at__gt=now,
        starts_at__lte=now + lead,
    ).only("pk", "team_id"):
        created += _notice(session.team_id, "before", f"s{session.pk}", now, session=session)
    teams = _channels(ChatNotice.Kind.NUDGE).values("team_id")
    for session in Session.objects.filter(
        team_id__in=teams,
        status=Session.Status.HELD,
        ends_at__lte=now,
        ends_at__gt=now - NUDGE_WINDOW,
    ).only("pk", "team_id"):
        created += _notice(session.team_id, "nudge", f"s{session.pk}", now, session=session)
    teams = _channels(ChatNotice.Kind.QUESTIONS).values("team_id")
    for team in Team.objects.filter(pk__in=teams):
        local = timezone.localtime(now, _zone(team))
        if local.hour < settings.CHAT_DIGEST_HOUR:
            continue
        yesterday = local.date() - timedelta(days=1)
        count = Question.objects.filter(
            team=team, asked_on=yesterday, is_hidden=False, status=Question.Status.OPEN
        ).count()
        if count:
            created += _notice(team.pk, "questions", f"d{yesterday}", now, count=count)
    teams = _channels(ChatNotice.Kind.ANSWER).values("team_id")
    for item in ForwardedItem.objects.filter(
        team_id__in=teams,
        answered_on__gte=(now - ANSWER_WINDOW).date(),
    ).exclude(answer=""):
        created += _notice(item.team_id, "answer", f"f{item.pk}", now, forwarded_item=item)
    teams = Team.objects.filter(pk__in=_channels(ChatNotice.Kind.LAPSE).values("team_id"))
    for team_id, lapse in lapses.lapsed_teams(teams, now=now).items():
        created += _notice(team_id, "lapse", lapse.key[:64], now)
    return created


def _zone(team: Team) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(team.time_zone)


# Delivery -------------------------------------------------------------------------------------


def deliveries_recover(*, now: datetime) -> int:
    """Releases claims older than the lease, left by a worker that died mid-post."""
    expired = now - timedelta(seconds=settings.CHAT_LEASE_SECONDS)
    return ChatDelivery.objects.filter(
        status=ChatDelivery.Status.SENDING, claimed_at__lt=expired
    ).update(status=ChatDelivery.Status.PENDING, claim_token="", claimed_at=None)


def deliveries_due(*, now: datetime, limit: int = 200) -> list[int]:
    return list(
        ChatDelivery.objects.filter(status=ChatDelivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def backoff(attempts: int) -> float:
    """Exponential backoff with jitter ("equal jitter"): half fixed, half random."""
    delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(0, attempts - 1))
    return delay / 2 + random.uniform(0, delay / 2)


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> str:
    """Claims the delivery, posts it and records the outcome; returns its new status ("" when
    another worker holds it or it is not due)."""
    now = now or timezone.now()
    token = secrets.token_hex(8)
    claimed = ChatDelivery.objects.filter(
        pk=delivery_id, status=ChatDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(
        status=ChatDelivery.Status.SENDING,
        claim_token=token,
        claimed_at=now,
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return ""
    delivery = (
        ChatDelivery.objects.select_related(
            "destination", "notice__team", "notice__session", "notice__forwarded_item"
        )
        .prefetch_related(
            Prefetch("notice__session__prompts", queryset=Prompt.objects.order_by("position"))
        )
        .get(pk=delivery_id)
    )
    destination = delivery.destination
    if not destination.enabled:
        return _finish(delivery, token, ChatDelivery.Status.CANCELLED, error="channel off")
    if _outdated(delivery.notice, now):
        return _finish(delivery, token, ChatDelivery.Status.CANCELLED, error="outdated")
    message = payloads.message_for(delivery.notice, destination.language)
    try:
        url = crypto.decrypt(destination.url_encrypted)
        answer = webhooks.post(destination.kind, url, payloads.body_for(destination.kind, message))
    except webhooks.Refused as exc:
        logger.warning("chat delivery %s refused: %s", delivery_id, exc)
        return _gone(delivery, token, now, status=None, error="address refused")
    except (crypto.InvalidToken, ImproperlyConfigured):
        return _finish(delivery, token, ChatDelivery.Status.FAILED, error="cannot decrypt")
    except OSError as exc:  # connection refused or reset, timeout, DNS failure
        return _retry(delivery, token, now, None, f"connection: {type(exc).__name__}")
    status = answer.status
    if 200 <= status < 300:
        if destination.failure_count:
            ChatDestination.objects.filter(pk=destination.pk).update(failure_count=0)
        return _finish(delivery, token, ChatDelivery.Status.SENT, code=status, sent_at=now)
    if status in GONE or 300 <= status < 400:  # redirects are never followed
        return _gone(delivery, token, now, status=status, error=f"HTTP {status}")
    if status == 429 or status >= 500:
        return _retry(delivery, token, now, status, f"HTTP {status}", answer.retry_after)
    return _finish(delivery, token, ChatDelivery.Status.FAILED, code=status, error="rejected")


def _outdated(notice: ChatNotice, now: datetime) -> bool:
    """A reminder still waiting (retries) when its session has started, moved away or been
    skipped is not posted."""
    if notice.kind != ChatNotice.Kind.BEFORE:
        return False
    session = notice.session
    return session.status != Session.Status.PLANNED or session.starts_at <= now


def _finish(delivery, token, outcome, *, code=None, error="", sent_at=None) -> str:
    ChatDelivery.objects.filter(
        pk=delivery.pk, claim_token=token, status=ChatDelivery.Status.SENDING
    ).update(status=outcome, last_status=code, last_error=error[:200], sent_at=sent_at)
    return outcome


def _retry(delivery, token, now, status, error, retry_after: float | None = None) -> str:
    if delivery.attempts >= settings.CHAT_MAX_ATTEMPTS:
        return _finish(delivery, token, ChatDelivery.Status.FAILED, code=status, error=error)
    if retry_after is not None:
        # The receiver said when; a little jitter keeps many workers from coming back at once.
        delay = min(BACKOFF_CAP_SECONDS, retry_after) + random.uniform(0, 1)
    else:
        delay = backoff(delivery.attempts)
    ChatDelivery.objects.filter(
        pk=delivery.pk, claim_token=token, status=ChatDelivery.Status.SENDING
    ).update(
        status=ChatDelivery.Status.PENDING,
        claim_token="",
        claimed_at=None,
        next_attempt_at=now + timedelta(seconds=delay),
        last_status=status,
        last_error=error[:200],
    )
    return ChatDelivery.Status.PENDING


@transaction.atomic
def _gone(delivery, token, now, *, status, error) -> str:
    """The channel says the webhook is not there (or points somewhere we do not post): counted;
    repeated CHAT_GONE_LIMIT times in a row, the channel is switched off and its team's
    supervisors are told."""
    destination = ChatDestination.objects.select_for_update().get(pk=delivery.destination_id)
    destination.failure_count += 1
    destination.save(update_fields=["failure_count"])
    if destination.failure_count < settings.CHAT_GONE_LIMIT:
        return _retry(delivery, token, now, status, error)
    result = _finish(delivery, token, ChatDelivery.Status.FAILED, code=status, error=error)
    destination_switch_off(destination=destination, reason=error)
    return result


@transaction.atomic
def destination_switch_off(*, destination: ChatDestination, reason: str) -> None:
    """Switches the channel off, cancels what it still had to post, and tells the team's
    supervisors in Learning Lead and by e-mail."""
    ChatDestination.objects.filter(pk=destination.pk).update(
        enabled=False, disabled_reason=reason[:200]
    )
    ChatDelivery.objects.filter(destination=destination, status=ChatDelivery.Status.PENDING).update(
        status=ChatDelivery.Status.CANCELLED
    )
    supervisors = list(
        User.objects.filter(
            memberships__team_id=destination.team_id,
            memberships__role=Membership.Role.SUPERVISOR,
            is_active=True,
        )
    )
    Notification.objects.bulk_create(
        Notification(user=user, kind=Notification.Kind.CHAT_OFF, team_id=destination.team_id)
        for user in supervisors
    )
    team_name, channel = destination.team.name, destination.name
    transaction.on_commit(lambda: _mail_supervisors(supervisors, team_name, channel))


def _mail_supervisors(supervisors: list[User], team_name: str, channel: str) -> None:
    for user in supervisors:
        if not user.email:
            continue
        with translation.override(user.language):
            subject = _("The chat channel %(channel)s of %(team)s was switched off") % {
                "channel": channel,
                "team": team_name,
            }
            body = _(
                "The chat service answered several times that the webhook address of "
                "%(channel)s no longer works, so Learning Lead stopped posting there. "
                "Create a new webhook in the channel and enter its address on the team's "
                "chat channels page, or remove the channel there."
            ) % {"channel": channel}
        try:
            send_mail(subject, body, None, [user.email])
        except OSError:
            logger.exception("could not tell supervisor %s of a switched-off channel", user.pk)


def chat_sweep(*, now: datetime | None = None, dispatch=None) -> dict:
    """One sweep: plan notices, release expired claims, then hand each due delivery to
    `dispatch(id)` (a Celery task), or post it here when no dispatcher is given."""
    now = now or timezone.now()
    planned = notices_plan(now=now)
    recovered = deliveries_recover(now=now)
    due = deliveries_due(now=now)
    for pk in due:
        if dispatch is None:
            delivery_send(delivery_id=pk, now=now)
        else:
            dispatch(pk)
    return {"planned": planned, "recovered": recovered, "due": len(due)}
