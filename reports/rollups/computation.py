"""Computing one month of the rollups from the rows (reports/rollups/sources.py), sealing and
publishing it when asked; and what an account deletion changes in them.

- `rollup_month_compute`: one month of one organisation, in one transaction under the
  organisation's row lock (the lock retention and account deletion take too), so two runs at
  once take turns and each writes the same result: idempotent. Sealing a month computes it a
  last time and publishes it (reports/publication.py decides what HR sees).
- `rollups_forget_person`: account deletion keeps the person's counts and marks but cuts
  every link to them (see reports/models.py).
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from reflections.models import Answer, Attendance, Question, Thought
from reports.models import PersonMonth, PersonThemeMonth, RollupMonth, TeamMonth, TeamThemeMonth
from reports.periods import month_start
from reports.publication import month_publish
from reports.rollups.sources import HELD, as_date, month_of, person_marks, team_counts, theme_counts
from teams.models import Organization, User

BATCH = 5000


def lock_organization(organization_id: int) -> None:
    """The organisation's row lock: rollups, retention and account deletion take turns."""
    Organization.objects.select_for_update().filter(pk=organization_id).exists()


def _flags(flags: set, names) -> dict:
    return {name: name in flags for name in names}


def write_marks(people, themes) -> None:
    PersonMonth.objects.bulk_create(
        (
            PersonMonth(
                team_id=team,
                month=when,
                user_id=person,
                **_flags(flags, ("attended", "posted", "pulsed", "learned")),
            )
            for (team, when, person), flags in people.items()
        ),
        batch_size=BATCH,
    )
    PersonThemeMonth.objects.bulk_create(
        (
            PersonThemeMonth(
                team_id=team,
                theme_id=theme,
                month=when,
                user_id=person,
                **_flags(flags, ("posted", "learned", "has_goal")),
            )
            for (team, theme, when, person), flags in themes.items()
        ),
        batch_size=BATCH,
    )


def _compute(organization: Organization, month: dt.date, zone) -> None:
    counts = team_counts(organization, month, zone)
    existing = TeamMonth.objects.filter(team__organization=organization, month=month)
    removed = {
        row.team_id: {name: getattr(row, f"removed_{name}") for name in TeamMonth.REMOVABLE}
        for row in existing
    }
    existing.delete()
    rows = []
    for team in set(counts) | set(removed):
        values, gone = counts.get(team, {}), removed.get(team, {})
        totals = {name: values.get(name, 0) + gone.get(name, 0) for name in TeamMonth.REMOVABLE}
        rows.append(
            TeamMonth(
                team_id=team,
                month=month,
                planned=values.get("planned", 0),
                held=values.get("held", 0),
                skipped=values.get("skipped", 0),
                pulse_sum=values.get("pulse_sum", 0),
                pulse_count=values.get("pulse_count", 0),
                members=values.get("members", 0),
                **totals,
                **{f"removed_{name}": count for name, count in gone.items()},
            )
        )
    TeamMonth.objects.bulk_create(rows, batch_size=BATCH)

    by_theme = theme_counts(organization, month, zone)
    existing = TeamThemeMonth.objects.filter(team__organization=organization, month=month)
    theme_removed = {(row.team_id, row.theme_id): row.removed_thoughts for row in existing}
    existing.delete()
    TeamThemeMonth.objects.bulk_create(
        TeamThemeMonth(
            team_id=team,
            theme_id=theme,
            month=month,
            thoughts=by_theme[team, theme]["thoughts"] + theme_removed.get((team, theme), 0),
            removed_thoughts=theme_removed.get((team, theme), 0),
            shared_goals=by_theme[team, theme]["goals"],
        )
        for team, theme in set(by_theme) | set(theme_removed)
    )

    # Marks of deleted accounts (user cleared) stay: their rows are gone from the sources.
    for model in (PersonMonth, PersonThemeMonth):
        model.objects.filter(
            team__organization=organization, month=month, user__isnull=False
        ).delete()
    write_marks(*person_marks(organization, zone, month=month))


def rollup_month_compute(
    *, organization: Organization, month: dt.date, now: dt.datetime | None = None, seal=False
) -> bool:
    """Computes one month from the rows (and seals and publishes it if asked); False if it
    was sealed already."""
    month = month_start(month)
    with transaction.atomic():
        lock_organization(organization.pk)
        state = RollupMonth.objects.filter(organization=organization, month=month).first()
        if state is not None and state.sealed:
            if seal and state.min_group_size is None:
                # Sealed by retention before months were published: its rows are gone, so
                # it is published from its rollups as they are.
                _publish(organization, state)
                return True
            return False
        _compute(organization, month, zoneinfo.ZoneInfo(organization.time_zone))
        minimum = None
        if seal:
            # The minimum group size is fixed with the month: a later change of the setting
            # applies to months published after it, never to figures HR has already seen.
            organization.refresh_from_db(fields=["min_group_size"])
            minimum = organization.min_group_size
            month_publish(organization=organization, month=month, minimum=minimum)
        RollupMonth.objects.update_or_create(
            organization=organization,
            month=month,
            defaults={
                "computed_at": now or timezone.now(),
                "sealed": seal,
                "min_group_size": minimum,
            },
        )
    return True


def _publish(organization: Organization, state: RollupMonth) -> None:
    organization.refresh_from_db(fields=["min_group_size"])
    month_publish(organization=organization, month=state.month, minimum=organization.min_group_size)
    state.min_group_size = organization.min_group_size
    state.save(update_fields=["min_group_size"])


def _removed_by_deletion(user: User, organization: Organization, zone) -> None:
    """Adds what deleting the person will remove (see privacy.services.account_deletion_execute)
    to the `removed_*` counts, so recomputing a month later gives the same figures."""
    others_replied = Exists(Thought.objects.filter(parent=OuterRef("pk")).exclude(author=user))
    thoughts = Thought.objects.filter(author=user, team__organization=organization).exclude(
        Q(parent__isnull=True) & others_replied
    )
    others_answered = Exists(Answer.objects.filter(question=OuterRef("pk")).exclude(author=user))
    questions = Question.objects.filter(author=user, team__organization=organization).exclude(
        others_answered
    )
    removed: dict[tuple, dict] = defaultdict(lambda: defaultdict(int))

    def add(queryset, field, team, **aggregates):
        rows = queryset.values(t=F(team), m=month_of(field, zone)).annotate(**aggregates).order_by()
        for row in rows:
            if row["t"] is not None:
                for name in aggregates:
                    removed[row["t"], as_date(row["m"])][name] += row[name]

    add(
        Attendance.objects.filter(
            user=user, session__status=HELD, session__team__organization=organization
        ),
        "session__starts_at",
        "session__team",
        attendances=Count("id"),
    )
    add(thoughts, "created_at", "team", thoughts=Count("id"))
    add(
        questions,
        "asked_on",
        "team",
        questions=Count("id"),
        answered=Count("id", filter=Q(status=Question.Status.ANSWERED)),
    )
    for (team, month), counts in removed.items():
        TeamMonth.objects.get_or_create(team_id=team, month=month)
        TeamMonth.objects.filter(team_id=team, month=month).update(
            **{f"removed_{name}": F(f"removed_{name}") + n for name, n in counts.items()}
        )
    linked = (
        thoughts.filter(team_goal__isnull=False)
        .values("team", "team_goal__themes", m=month_of("created_at", zone))
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    for row in linked:
        if row["team_goal__themes"]:
            key = {"team_id": row["team"], "theme_id": row["team_goal__themes"]}
            key["month"] = as_date(row["m"])
            TeamThemeMonth.objects.get_or_create(**key)
            TeamThemeMonth.objects.filter(**key).update(
                removed_thoughts=F("removed_thoughts") + row["n"]
            )


def rollups_forget_person(*, user: User) -> None:
    """Before an account is deleted (inside that transaction): its counts move to the
    removed columns, its marks are brought up to date and then unlinked from it."""
    organizations = Organization.objects.filter(
        Q(pk=user.organization_id) | Q(teams__memberships__user=user)
    ).distinct()
    for organization in organizations.order_by("pk"):
        lock_organization(organization.pk)
        zone = zoneinfo.ZoneInfo(organization.time_zone)
        _removed_by_deletion(user, organization, zone)
        sealed = set(
            RollupMonth.objects.filter(organization=organization, sealed=True).values_list(
                "month", flat=True
            )
        )
        people, themes = person_marks(organization, zone, user=user)
        people = {key: flags for key, flags in people.items() if key[1] not in sealed}
        themes = {key: flags for key, flags in themes.items() if key[2] not in sealed}
        for model in (PersonMonth, PersonThemeMonth):
            model.objects.filter(user=user, team__organization=organization).exclude(
                month__in=sealed
            ).delete()
        write_marks(people, themes)
    former = -1 - secrets.randbelow(2**62)
    for model in (PersonMonth, PersonThemeMonth):
        model.objects.filter(user=user).update(user=None, former=former)
