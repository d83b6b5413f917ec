"""Privacy actions: the audit trail, a person's data export, account deletion with a grace
period, and the retention sweep that removes what is older than the organisation keeps."""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from learning_lead import fragments, web_sessions
from privacy.audit import audit_record
from privacy.models import AuditEvent, DeletionRequest
from reflections.models import (
    Answer,
    ForwardedItem,
    Question,
    Thought,
)
from reports import rollups
from teams.models import CheckIn, Invitation, Membership, Organization, Team, User

# Audit trail (the rows are written through privacy/audit.py, which every app may use).


def audit_purge(*, now: dt.datetime | None = None) -> int:
    """The audit trail itself is kept for AUDIT_RETENTION_DAYS."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEvent.objects.filter(created_at__lt=cutoff).delete()
    return deleted


# Account deletion: a request, a grace period, then the deletion itself.


class DeletionRefused(Exception):
    """The account cannot be deleted yet; the message says why."""


def teams_left_without_supervisor(user: User) -> list[Team]:
    """Teams the person is the only supervisor of: someone must take over first."""
    others = Membership.objects.filter(
        team_id=OuterRef("team_id"), role=Membership.Role.SUPERVISOR
    ).exclude(user=user)
    led_alone = Membership.objects.filter(user=user, role=Membership.Role.SUPERVISOR).filter(
        ~Exists(others)
    )
    return list(Team.objects.filter(pk__in=led_alone.values("team_id")).order_by("name"))


@transaction.atomic
def account_deletion_request(
    *, user: User, now: dt.datetime | None = None, ip_address: str | None = None
) -> DeletionRequest:
    """The person asks for their account to be deleted after the grace period, audited."""
    if teams_left_without_supervisor(user):
        raise DeletionRefused("last supervisor")
    now = now or timezone.now()
    due = now + dt.timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS)
    request, _ = DeletionRequest.objects.update_or_create(
        user=user, defaults={"requested_at": now, "due_at": due}
    )
    audit_record(
        organization=user.organization_id,
        action=AuditEvent.Action.DELETION_REQUEST,
        actor=user,
        subject=user,
        ip_address=ip_address,
    )
    return request


@transaction.atomic
def account_deletion_cancel(*, user: User, ip_address: str | None = None) -> bool:
    """Withdraws the person's pending deletion; audited when there was one."""
    deleted, _ = DeletionRequest.objects.filter(user=user).delete()
    if deleted:
        audit_record(
            organization=user.organization_id,
            action=AuditEvent.Action.DELETION_CANCEL,
            actor=user,
            subject=user,
            ip_address=ip_address,
        )
    return bool(deleted)


@transaction.atomic
def account_deletion_execute(*, user: User) -> None:
    """Deletes the person and what is theirs alone.

    What others built on stays as the team's shared record, unlinked ("former member"): a
    thought others replied to, an answer to someone's question, a named question that was
    answered. Anonymous questions and pulse values were never linked to anyone and stay."""
    # Many rows change at once: every cached page is rendered afresh after, once.
    with fragments.bulk():
        user = User.objects.select_for_update().get(pk=user.pk)
        organization_id = user.organization_id
        # The report's figures keep what she contributed, with no link left to her.
        rollups.rollups_forget_person(user=user)
        others_replied = Exists(Thought.objects.filter(parent=OuterRef("pk")).exclude(author=user))
        Thought.objects.filter(author=user, parent__isnull=True).filter(others_replied).update(
            author=None
        )
        Thought.objects.filter(author=user).delete()
        answered = Exists(
            Answer.objects.filter(question=OuterRef("pk")).exclude(author=user)
        ) | Exists(ForwardedItem.objects.filter(questions=OuterRef("pk")).exclude(answer=""))
        Question.objects.filter(author=user).filter(answered).update(author=None, author_left=True)
        Question.objects.filter(author=user).delete()
        Answer.objects.filter(author=user).update(author=None)
        if user.email:
            Invitation.objects.filter(email__iexact=user.email).delete()
        AuditEvent.objects.filter(actor=user).update(actor=None, actor_label="")
        AuditEvent.objects.filter(subject=user).update(subject=None, target="")
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
        ).delete()
        web_sessions.end_sessions_of(user.pk)
        user.delete()  # cascades: goals, check-ins, memberships, roles, votes, reminders, ...
    audit_record(organization=organization_id, action=AuditEvent.Action.DELETION_EXECUTE)


def account_deletions_due(*, now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(DeletionRequest.objects.filter(due_at__lte=now).values_list("user_id", flat=True))


def account_deletion_execute_due(*, user_id: int, now: dt.datetime | None = None) -> bool:
    """Deletes the account if its request is still pending and due; safe to call twice."""
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            DeletionRequest.objects.select_for_update(skip_locked=True)
            .select_related("user")
            .filter(user_id=user_id, due_at__lte=now)
            .first()
        )
        if request is None:
            return False
        account_deletion_execute(user=request.user)
    return True


# Retention: rows older than the organisation keeps are removed; report figures stay.


@dataclass
class RetentionResult:
    thoughts: int = 0
    questions: int = 0
    checkins: int = 0
    forwarded: int = 0  # items forwarded to HR, with their summaries and answers

    @property
    def total(self) -> int:
        return self.thoughts + self.questions + self.checkins + self.forwarded


def retention_cutoff(organization: Organization, now: dt.datetime) -> dt.date:
    """The first day still kept: `retention_months` calendar months back from today in the
    organisation's time zone (the day clamped to the shorter month's end)."""
    today = timezone.localdate(now, timezone=zoneinfo.ZoneInfo(organization.time_zone))
    year, month = divmod(today.year * 12 + today.month - 1 - organization.retention_months, 12)
    month += 1
    return dt.date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


def _expire_batch(organization: Organization, queryset, *, batch_size) -> int:
    """Deletes one batch of expired rows. The organisation row lock makes concurrent runs
    take turns (and wait for a rollup computation in progress); a run that waited finds the
    rows already gone."""
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).exists()
        ids = list(
            queryset.select_for_update(skip_locked=True, of=("self",)).values_list("pk", flat=True)[
                :batch_size
            ]
        )
        if not ids:
            return 0
        queryset.model.objects.filter(pk__in=ids).delete()
    # Each batch is committed: the pages that showed its rows are rendered afresh at once.
    fragments.changed_everything()
    return len(ids)


def retention_run(
    *, organization: Organization, now: dt.datetime | None = None, batch_size: int | None = None
) -> RetentionResult:
    """Removes thoughts, questions (with their votes, answers and reports), check-ins and
    items forwarded to HR older than the organisation keeps, batch by batch; idempotent, safe
    to run twice at once.

    First the report rollups of every month it deletes from are computed one last time and
    sealed (reports/rollups/), so report figures stay the same once the rows are gone."""
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    cutoff = retention_cutoff(organization, now)
    since = dt.datetime.combine(cutoff, dt.time.min, tzinfo=zone)
    rollups.rollups_seal(organization=organization, before=cutoff)
    old_thoughts = Thought.objects.filter(team__organization=organization, created_at__lt=since)
    # A thread whose replies are still within the limit waits for them: deleting it would
    # take the newer replies with it.
    newer_reply = Exists(Thought.objects.filter(parent=OuterRef("pk"), created_at__gte=since))
    kinds = [
        # Replies before their threads, so the result counts each row as the one it is.
        ("thoughts", old_thoughts.filter(parent__isnull=False)),
        ("thoughts", old_thoughts.filter(parent__isnull=True).exclude(newer_reply)),
        (
            "questions",
            Question.objects.filter(team__organization=organization, asked_on__lt=cutoff),
        ),
        (
            "checkins",
            CheckIn.objects.filter(goal__owner__organization=organization, day__lt=cutoff),
        ),
    ]
    result = RetentionResult()
    with fragments.bulk():  # every cached page afresh after
        for field, queryset in kinds:
            while n := _expire_batch(organization, queryset, batch_size=batch_size):
                setattr(result, field, getattr(result, field) + n)
        # What went up to HR follows the same limit (by the day it was forwarded): its summary
        # and answer are team content too. Few rows, so one statement.
        _, deleted = ForwardedItem.objects.filter(
            team__organization=organization, forwarded_on__lt=cutoff
        ).delete()
    result.forwarded = deleted.get(ForwardedItem._meta.label, 0)
    if result.total:
        forwarded = f" forwarded={result.forwarded}" if result.forwarded else ""
        audit_record(
            organization=organization,
            action=AuditEvent.Action.RETENTION_RUN,
            target=(
                f"thoughts={result.thoughts} questions={result.questions} "
                f"checkins={result.checkins}{forwarded} before={cutoff.isoformat()}"
            ),
        )
    return result


def retention_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Runs retention for every organisation, then expires old audit events."""
    now = now or timezone.now()
    removed = sum(
        retention_run(organization=organization, now=now).total
        for organization in Organization.objects.order_by("pk")
    )
    return {"removed": removed, "audit_expired": audit_purge(now=now)}


def privacy_daily(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily privacy work: accounts past their grace period, then retention."""
    now = now or timezone.now()
    deleted = sum(
        account_deletion_execute_due(user_id=user_id, now=now)
        for user_id in account_deletions_due(now=now)
    )
    return {"accounts_deleted": deleted, **retention_sweep(now=now)}


@transaction.atomic
def organization_retention_set(
    *,
    organization: Organization,
    retention_months: int,
    actor: User,
    min_group_size: int | None = None,
    ip_address: str | None = None,
) -> None:
    """Sets how long content is kept and, when given, the smallest group a report figure may
    rest on; audited."""
    if retention_months < 1:
        raise ValueError("Retention is at least one month.")
    if min_group_size is None:
        min_group_size = organization.min_group_size
    if min_group_size < 3:
        raise ValueError("A report figure rests on at least three people.")
    audit_record(
        organization=actor.organization_id,
        action=AuditEvent.Action.RETENTION_CHANGE,
        actor=actor,
        target=(
            f"retention_months {organization.retention_months} -> {retention_months}, "
            f"min_group_size {organization.min_group_size} -> {min_group_size}"
        ),
        ip_address=ip_address,
    )
    organization.retention_months = retention_months
    organization.min_group_size = min_group_size
    organization.save(update_fields=["retention_months", "min_group_size"])
    fragments.changed(fragments.org(organization.pk))


@transaction.atomic
def privacy_page_seen(*, organization: Organization) -> None:
    """An admin has opened the privacy page (the set-up checklist ticks it); once."""
    updated = Organization.objects.filter(
        pk=organization.pk, privacy_page_seen_at__isnull=True
    ).update(privacy_page_seen_at=timezone.now())
    if updated:
        fragments.changed(fragments.org(organization.pk))
