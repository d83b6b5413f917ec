"""What one month of the HR report's rollups is made of, from the rows.

Each source is a queryset filtered to the organisation, with the field that dates its rows and
the path to their team; `in_month` narrows it to one month, `month_of` labels rows with theirs.
`team_counts`, `theme_counts` and `person_marks` read one month (or one person) from them.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from reflections.models import Attendance, PulseAnswered, PulseValue, Question, Session, Thought
from reports.periods import Period, month_start
from teams.models import CheckIn, Membership, Organization, PersonalGoal

HELD = Session.Status.HELD
PRIVATE = PersonalGoal.Visibility.PRIVATE


def next_month(month: dt.date) -> dt.date:
    return month + relativedelta(months=1)


def months_from(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], month_start(first)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def month_sources(organization: Organization) -> dict:
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


def in_month(queryset, field: str, month: dt.date, zone):
    if field in ("asked_on", "day"):
        return queryset.filter(**{f"{field}__gte": month, f"{field}__lt": next_month(month)})
    start, end = Period(month, next_month(month)).bounds(str(zone))
    return queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})


def month_of(field: str, zone):
    if field in ("asked_on", "day"):
        return TruncMonth(field)
    return TruncMonth(field, tzinfo=zone)


def team_counts(organization, month, zone) -> dict[int, dict]:
    sources = month_sources(organization)
    counts: dict[int, dict] = defaultdict(dict)

    def rows(name, **aggregates):
        queryset, field, team = sources[name]
        return (
            in_month(queryset, field, month, zone)
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


def theme_counts(organization, month, zone) -> dict[tuple[int, int], dict]:
    """(team, theme) -> thoughts linked in the month, and shared personal goals now."""
    queryset, field, _team = month_sources(organization)["thoughts"]
    rows = (
        in_month(queryset.filter(team_goal__isnull=False), field, month, zone)
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


def person_marks(organization, zone, *, month=None, user=None):
    """(team, month, person) -> flags, and (team, theme, month, person) -> flags; for one
    month of the organisation, or for one person over all months."""
    sources = month_sources(organization)

    def marks(name, person, theme=None):
        queryset, field, team = sources[name]
        if month is not None:
            queryset = in_month(queryset, field, month, zone)
        if user is not None:
            queryset = queryset.filter(**{person: user})
        labels = {"m_": month_of(field, zone), "p_": F(person)}
        if team is not None:
            labels["t_"] = F(team)
        if theme is not None:
            labels["x_"] = F(theme)
        keys = [key for key in ("t_", "m_", "p_", "x_") if key in labels]
        return queryset.annotate(**labels).values_list(*keys).distinct().order_by()

    people: dict[tuple, set] = defaultdict(set)
    themes: dict[tuple, set] = defaultdict(set)
    for team, when, person in marks("attendances", "user"):
        people[team, as_date(when), person].add("attended")
    for team, when, person in marks("posted", "author"):
        people[team, as_date(when), person].add("posted")
    for team, when, person in marks("pulsed", "user"):
        people[team, as_date(when), person].add("pulsed")
    learners = defaultdict(set)
    for when, person in marks("learned", "goal__owner"):
        learners[person].add(as_date(when))
    memberships = Membership.objects.filter(
        user__in=list(learners), team__organization=organization
    ).values_list("team", "user")
    for team, person in memberships:
        for when in learners[person]:
            people[team, when, person].add("learned")
    for team, when, person, theme in marks("theme_posted", "author", "team_goal__themes"):
        if theme:
            themes[team, theme, as_date(when), person].add("posted")
    theme_learned = marks("theme_learned", "goal__owner", "goal__team_goal__themes")
    for team, when, person, theme in theme_learned:
        if theme:
            themes[team, theme, as_date(when), person].add("learned")
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


def first_month(organization: Organization) -> dt.date | None:
    """The earliest month any source has a row in."""
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    found = []
    for queryset, field, _team in month_sources(organization).values():
        first = queryset.order_by().aggregate(first=Min(field))["first"]
        if first is not None:
            is_instant = isinstance(first, dt.datetime)
            found.append(timezone.localtime(first, zone).date() if is_instant else first)
    return month_start(min(found)) if found else None
