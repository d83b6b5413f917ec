"""Keeping the monthly rollups (reports/models.py) that the HR report reads.

- `rollup_month_compute`: one month of one organisation, from the rows, in one transaction
  under the organisation's row lock (the lock retention and account deletion take too), so
  two runs at once take turns and each writes the same result: idempotent. Sealing a month
  computes it a last time and publishes it (reports/publication.py decides what HR sees).
- `rollups_refresh_recent`: what Celery beat runs every few minutes: seals every month of
  every organisation that ended `REPORT_PUBLISH_AFTER_DAYS` ago or more. A month is published
  once and never changes: figures that moved with every edit would let HR subtract one
  day's report from the next and see what one person did.
- `rollups_ensure`: the same for the months of a report's period, when it is asked for
  (a new organisation, SQLite without a running loop).
- `rollups_backfill`: every month with data (`manage.py rollups_backfill`).
- `rollups_seal`: retention seals a month before deleting rows from it; a sealed month is
  never recomputed, so its figures outlive the rows.
- `rollups_forget_person`: account deletion keeps the person's counts and marks but cuts
  every link to them (see reports/models.py).
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from reflections.models import (
    Answer,
    Attendance,
    PulseAnswered,
    PulseValue,
    Question,
    Session,
    Thought,
)
from reports.models import (
    PersonMonth,
    PersonThemeMonth,
    RollupMonth,
    TeamMonth,
    TeamThemeMonth,
)
from reports.periods import Period, month_start
from reports.publication import month_publish
from teams.models import CheckIn, Membership, Organization, PersonalGoal, User

HELD = Session.Status.HELD
PRIVATE = PersonalGoal.Visibility.PRIVATE
BATCH = 5000


def _lock(organization_id: int) -> None:
    """The organisation's row lock: rollups, retention and account deletion take turns."""
    Organization.objects.select_for_update().filter(pk=organization_id).exists()


def _next(month: dt.date) -> dt.date:
    return month + relativedelta(months=1)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = _next(month)
    return months


def _date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


# What one month is made of, from the rows. Each source is a queryset filtered to the
# organisation; `_in_month` narrows it to one month, `_by_month` labels rows with theirs.


def _sources(organization: Organization) -> dict:
    org = organization
    return {
        "sessions": (Session.objects.filter(team__organization=org), "starts_at", "team"),
        "attendances": (
            Attendance.objects.filter(session__team__organization=org, session__status=HELD),
            "session__starts_at",
            "session__team",
        ),
        "thoughts": (Thought.objects.filter(team__organization=org), "created_at", "team"),
        "posted": (
            Thought.objects.filter(team__organization=org, author__isnull=False),
            "created_at",
            "team",
        ),
        "theme_posted": (
            Thought.objects.filter(
                team__organization=org, author__isnull=False, team_goal__isnull=False
            ),
            "created_at",
            "team",
        ),
        "questions": (Question.objects.filter(team__organization=org), "asked_on", "team"),
        "pulse": (
            PulseValue.objects.filter(session__team__organization=org),
            "session__starts_at",
            "session__team",
        ),
        "pulsed": (
            PulseAnswered.objects.filter(session__team__organization=org),
            "session__starts_at",
            "session__team",
        ),
        "learned": (
            CheckIn.objects.filter(goal__owner__memberships__team__organization=org)
            .exclude(goal__visibility=PRIVATE)
            .distinct(),
            "day",
            None,
        ),
        "theme_learned": (
            CheckIn.objects.filter(goal__team_goal__team__organization=org).exclude(
                goal__visibility=PRIVATE
            ),
            "day",
            "goal__team_goal__team",
        ),
    }


def _in_month(queryset, field: str, month: dt.date, zone):
    if field in ("asked_on", "day"):
        return queryset.filter(**{f"{field}__gte": month, f"{field}__lt": _next(month)})
    start, end = Period(month, _next(month)).bounds(str(zone))
    return queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})


def _month_of(field: str, zone):
    if field in ("asked_on", "day"):
        return TruncMonth(field)
    return TruncMonth(field, tzinfo=zone)


def _team_counts(organization, month, zone) -> dict[int, dict]:
    sources = _sources(organization)
    counts: dict[int, dict] = defaultdict(dict)

    def rows(name, **aggregates):
        queryset, field, team = sources[name]
        return (
            _in_month(queryset, field, month, zone)
            .values(team_key=F(team))
            .annotate(**aggregates)
            .order_by()
        )

    for row in rows(
        "sessions",
        planned=Count("id"),
        held=Count("id", filter=Q(status=HELD)),
        skipped=Count("id", filter=Q(status=Session.Status.SKIPPED)),
    ):
        counts[row["team_key"]].update(planned=row["planned"], held=row["held"])
        counts[row["team_key"]]["skipped"] = row["skipped"]
    for name in ("attendances", "thoughts"):
        for row in rows(name, n=Count("id")):
            if row["team_key"] is not None:
                counts[row["team_key"]][name] = row["n"]
    answered = Count("id", filter=Q(status=Question.Status.ANSWERED))
    for row in rows("questions", n=Count("id"), answered=answered):
        counts[row["team_key"]].update(questions=row["n"], answered=row["answered"])
    for row in rows("pulse", total=Sum("value"), n=Count("id")):
        counts[row["team_key"]].update(pulse_sum=row["total"], pulse_count=row["n"])
    sizes = (
        Membership.objects.filter(team__organization=organization)
        .values("team")
        .annotate(n=Count("user"))
        .order_by()
    )
    for row in sizes:
        if row["team"] in counts:
            counts[row["team"]]["members"] = row["n"]
    return counts


def _theme_counts(organization, month, zone) -> dict[tuple[int, int], dict]:
    """(team, theme) -> thoughts linked in the month, and shared personal goals now."""
    queryset, field, _team = _sources(organization)["thoughts"]
    rows = (
        _in_month(queryset.filter(team_goal__isnull=False), field, month, zone)
        .values("team", "team_goal__themes")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    counts: dict[tuple[int, int], dict] = defaultdict(lambda: {"thoughts": 0, "goals": 0})
    for r in rows:
        if r["team_goal__themes"]:
            counts[r["team"], r["team_goal__themes"]]["thoughts"] = r["n"]
    goals = (
        _shared_goals(organization)
        .values("team_goal__team", "team_goal__themes")
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    for r in goals:
        if r["team_goal__themes"]:
            counts[r["team_goal__team"], r["team_goal__themes"]]["goals"] = r["n"]
    return counts


def _shared_goals(organization):
    return PersonalGoal.objects.filter(team_goal__team__organization=organization).exclude(
        visibility=PRIVATE
    )


def _person_marks(organization, zone, *, month=None, user=None):
    """(team, month, person) -> flags, and (team, theme, month, person) -> flags; for one
    month of the organisation, or for one person over all months."""
    sources = _sources(organization)

    def marks(name, person, theme=None):
        queryset, field, team = sources[name]
        if month is not None:
            queryset = _in_month(queryset, field, month, zone)
        if user is not None:
            queryset = queryset.filter(**{person: user})
        labels = {"m_": _month_of(field, zone), "p_": F(person)}
        if team is not None:
            labels["t_"] = F(team)
        if theme is not None:
            labels["x_"] = F(theme)
        keys = [key for key in ("t_", "m_", "p_", "x_") if key in labels]
        return queryset.annotate(**labels).values_list(*keys).distinct().order_by()

    people: dict[tuple, set] = defaultdict(set)
    themes: dict[tuple, set] = defaultdict(set)
    for team, when, person in marks("attendances", "user"):
        people[team, _date(when), person].add("attended")
    for team, when, person in marks("posted", "author"):
        people[team, _date(when), person].add("posted")
    for team, when, person in marks("pulsed", "user"):
        people[team, _date(when), person].add("pulsed")
    learners = defaultdict(set)
    for when, person in marks("learned", "goal__owner"):
        learners[person].add(_date(when))
    memberships = Membership.objects.filter(
        user__in=list(learners), team__organization=organization
    ).values_list("team", "user")
    for team, person in memberships:
        for when in learners[person]:
            people[team, when, person].add("learned")
    for team, when, person, theme in marks("theme_posted", "author", "team_goal__themes"):
        if theme:
            themes[team, theme, _date(when), person].add("posted")
    theme_learned = marks("theme_learned", "goal__owner", "goal__team_goal__themes")
    for team, when, person, theme in theme_learned:
        if theme:
            themes[team, theme, _date(when), person].add("learned")
    if month is not None:
        # Who holds a shared goal under each theme as the month is computed (at its sealing,
        # the month's end give or take the publication delay).
        holders = _shared_goals(organization).values_list(
            "team_goal__team", "team_goal__themes", "owner"
        )
        for team, theme, person in holders.distinct().order_by():
            if theme:
                themes[team, theme, month, person].add("has_goal")
    return people, themes


def _flags(flags: set, names) -> dict:
    return {name: name in flags for name in names}


def _write_marks(people, themes) -> None:
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
    counts = _team_counts(organization, month, zone)
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

    theme_counts = _theme_counts(organization, month, zone)
    existing = TeamThemeMonth.objects.filter(team__organization=organization, month=month)
    theme_removed = {(row.team_id, row.theme_id): row.removed_thoughts for row in existing}
    existing.delete()
    TeamThemeMonth.objects.bulk_create(
        TeamThemeMonth(
            team_id=team,
            theme_id=theme,
            month=month,
            thoughts=theme_counts[team, theme]["thoughts"] + theme_removed.get((team, theme), 0),
            removed_thoughts=theme_removed.get((team, theme), 0),
            shared_goals=theme_counts[team, theme]["goals"],
        )
        for team, theme in set(theme_counts) | set(theme_removed)
    )

    # Marks of deleted accounts (user cleared) stay: their rows are gone from the sources.
    for model in (PersonMonth, PersonThemeMonth):
        model.objects.filter(
            team__organization=organization, month=month, user__isnull=False
        ).delete()
    _write_marks(*_person_marks(organization, zone, month=month))


def rollup_month_compute(
    *, organization: Organization, month: dt.date, now: dt.datetime | None = None, seal=False
) -> bool:
    """Computes one month from the rows (and seals and publishes it if asked); False if it
    was sealed already."""
    month = month_start(month)
    with transaction.atomic():
        _lock(organization.pk)
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


def local_month(organization: Organization, now: dt.datetime) -> dt.date:
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    return month_start(timezone.localdate(now, timezone=zone))


def last_published(organization: Organization, now: dt.datetime | None = None) -> dt.date:
    """The latest month that is due to be published: it ended at least
    `REPORT_PUBLISH_AFTER_DAYS` ago in the organisation's time zone."""
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    today = timezone.localdate(now or timezone.now(), timezone=zone)
    return month_start(today - dt.timedelta(days=settings.REPORT_PUBLISH_AFTER_DAYS)) - (
        relativedelta(months=1)
    )


def rollups_ensure(
    *, organization: Organization, months: list[dt.date], now: dt.datetime | None = None
) -> dict:
    """The published months among `months` with their sealing times, sealing first any that
    is due and not sealed yet (a new organisation, SQLite without a running loop)."""
    due = [month for month in months if month <= last_published(organization, now)]
    state = dict(
        RollupMonth.objects.filter(
            organization=organization, month__in=due, sealed=True, min_group_size__isnull=False
        ).values_list("month", "computed_at")
    )
    for month in due:
        if month not in state:
            rollup_month_compute(organization=organization, month=month, now=now, seal=True)
            state[month] = RollupMonth.objects.get(organization=organization, month=month)
    return {month: getattr(value, "computed_at", value) for month, value in state.items()}


def rollups_refresh_recent(*, now: dt.datetime | None = None) -> int:
    """Seals and publishes every due month of every organisation from its first month with
    data (in practice the month that has just become due)."""
    now = now or timezone.now()
    sealed = 0
    for organization in Organization.objects.order_by("pk"):
        first = first_month(organization)
        last = last_published(organization, now)
        if first is None or first > last:
            continue
        done = set(
            RollupMonth.objects.filter(
                organization=organization, sealed=True, min_group_size__isnull=False
            ).values_list("month", flat=True)
        )
        for month in _months(first, last):
            if month not in done:
                sealed += rollup_month_compute(
                    organization=organization, month=month, now=now, seal=True
                )
    return sealed


def first_month(organization: Organization) -> dt.date | None:
    """The earliest month any source has a row in."""
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    found = []
    for queryset, field, _team in _sources(organization).values():
        first = queryset.order_by().aggregate(first=Min(field))["first"]
        if first is not None:
            is_instant = isinstance(first, dt.datetime)
            found.append(timezone.localtime(first, zone).date() if is_instant else first)
    return month_start(min(found)) if found else None


def rollups_backfill(*, organization: Organization, now: dt.datetime | None = None) -> int:
    """Every month from the first with data to the current one: the due ones sealed and
    published, the rest computed (sealed months stay)."""
    now = now or timezone.now()
    first = first_month(organization)
    if first is None:
        return 0
    last = last_published(organization, now)
    return sum(
        rollup_month_compute(organization=organization, month=month, now=now, seal=month <= last)
        for month in _months(first, local_month(organization, now))
    )


def rollups_seal(*, organization: Organization, before: dt.date) -> int:
    """Computes and seals every month that has rows dated before `before` (the retention
    cutoff), so deleting those rows changes no figure."""
    first = first_month(organization)
    if first is None or first >= before:
        return 0
    return sum(
        rollup_month_compute(organization=organization, month=month, seal=True)
        for month in _months(first, before - dt.timedelta(days=1))
    )


# Account deletion.


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
        rows = (
            queryset.values(t=F(team), m=_month_of(field, zone)).annotate(**aggregates).order_by()
        )
        for row in rows:
            if row["t"] is not None:
                for name in aggregates:
                    removed[row["t"], _date(row["m"])][name] += row[name]

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
        .values("team", "team_goal__themes", m=_month_of("created_at", zone))
        .annotate(n=Count("id", distinct=True))
        .order_by()
    )
    for row in linked:
        if row["team_goal__themes"]:
            key = {"team_id": row["team"], "theme_id": row["team_goal__themes"]}
            key["month"] = _date(row["m"])
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
        _lock(organization.pk)
        zone = zoneinfo.ZoneInfo(organization.time_zone)
        _removed_by_deletion(user, organization, zone)
        sealed = set(
            RollupMonth.objects.filter(organization=organization, sealed=True).values_list(
                "month", flat=True
            )
        )
        people, themes = _person_marks(organization, zone, user=user)
        people = {key: flags for key, flags in people.items() if key[1] not in sealed}
        themes = {key: flags for key, flags in themes.items() if key[2] not in sealed}
        for model in (PersonMonth, PersonThemeMonth):
            model.objects.filter(user=user, team__organization=organization).exclude(
                month__in=sealed
            ).delete()
        _write_marks(people, themes)
    former = -1 - secrets.randbelow(2**62)
    for model in (PersonMonth, PersonThemeMonth):
        model.objects.filter(user=user).update(user=None, former=former)
