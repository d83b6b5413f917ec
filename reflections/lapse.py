"""When a team's reflection rhythm has lapsed, worked out from its sessions in one query.

A rhythm lapses when
- two planned sessions in a row were not held: their time has passed (by MISSED_AFTER, since
  supervisors often mark a session held afterwards) and nobody marked them held. Skipped
  sessions are a decision, not a lapse: they neither count nor break the row. The row is the
  run of such sessions since the team's last held session; or
- nothing is planned ahead: no session still to come, and MISSED_AFTER has passed since the
  last one ended (so holding the last planned session does not at once count as a lapse), for
  a team that has had a rhythm or sessions before. A team that has never planned anything has
  not lapsed; it has not started.

Each lapse has a key that stays the same while it lasts and changes with a new lapse after a
recovery, so a reminder keyed by it is sent once per lapse:
- `missed-<id>`: the first not-held session of the row (a held session ends the row; the
  next row starts with another session);
- `unplanned-<id>`: the team's latest session that was not skipped (0 if none), the point after
  which nothing was planned; holding a newly planned session moves it.
A row of missed sessions wins over "nothing ahead", so pausing a lapsed rhythm is still the
same lapse.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from reflections.models import Rhythm, Session
from teams.models import Team

MISSED_AFTER = timedelta(hours=24)
MISSED_IN_A_ROW = 2


@dataclass(frozen=True)
class Lapse:
    team_id: int
    reason: str  # MISSED or UNPLANNED
    key: str
    missed: int  # not-held sessions in the current row
    since_session_id: int | None  # the first missed session, or the last one before the gap
    since: datetime | None  # that session's start

    MISSED = "missed"
    UNPLANNED = "unplanned"

    @property
    def is_missed(self) -> bool:
        return self.reason == self.MISSED


def _missed_row(now: datetime) -> QuerySet[Session]:
    """The team's (OuterRef pk) planned sessions past their time with no held session after."""
    held_later = Session.objects.filter(
        team_id=OuterRef("team_id"), status=Session.Status.HELD, starts_at__gt=OuterRef("starts_at")
    )
    return Session.objects.filter(
        team_id=OuterRef("pk"),
        status=Session.Status.PLANNED,
        ends_at__lte=now - MISSED_AFTER,
    ).filter(~Exists(held_later))


def with_rhythm_state(teams: QuerySet[Team], *, now: datetime | None = None) -> QuerySet[Team]:
    """Annotates each team with what lapse detection needs: `missed_count`, `first_missed_id`,
    `has_pending`, `has_history` and `last_session_id` (all correlated subqueries, so the
    number of queries does not depend on the number of teams or sessions)."""
    now = now or timezone.now()
    row = _missed_row(now)
    count = row.order_by().values("team_id").annotate(n=Count("pk")).values("n")
    sessions = Session.objects.filter(team_id=OuterRef("pk"))
    not_skipped = sessions.exclude(status=Session.Status.SKIPPED)
    return teams.annotate(
        missed_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        first_missed_id=Subquery(row.order_by("starts_at", "pk").values("pk")[:1]),
        first_missed_at=Subquery(row.order_by("starts_at", "pk").values("starts_at")[:1]),
        has_pending=Exists(not_skipped.filter(ends_at__gt=now - MISSED_AFTER)),
        has_history=Exists(sessions) | Exists(Rhythm.objects.filter(team_id=OuterRef("pk"))),
        last_session_id=Subquery(not_skipped.order_by("-starts_at", "-pk").values("pk")[:1]),
        last_session_at=Subquery(not_skipped.order_by("-starts_at", "-pk").values("starts_at")[:1]),
    )


def lapse_of(team: Team) -> Lapse | None:
    """The team's current lapse, from a team annotated by with_rhythm_state; None if none."""
    if team.missed_count >= MISSED_IN_A_ROW:
        return Lapse(
            team_id=team.pk,
            reason=Lapse.MISSED,
            key=f"missed-{team.first_missed_id}",
            missed=team.missed_count,
            since_session_id=team.first_missed_id,
            since=team.first_missed_at,
        )
    if team.has_history and not team.has_pending:
        return Lapse(
            team_id=team.pk,
            reason=Lapse.UNPLANNED,
            key=f"unplanned-{team.last_session_id or 0}",
            missed=team.missed_count,
            since_session_id=team.last_session_id,
            since=team.last_session_at,
        )
    return None


def lapsed_teams(teams: QuerySet[Team] | None = None, *, now: datetime | None = None) -> dict:
    """{team id: Lapse} for the lapsed teams among `teams` (all teams by default), one query."""
    teams = Team.objects.all() if teams is None else teams
    annotated = with_rhythm_state(teams, now=now).filter(
        Q(missed_count__gte=MISSED_IN_A_ROW) | Q(has_history=True, has_pending=False)
    )
    result = {}
    for team in annotated.only("pk"):
        lapse = lapse_of(team)
        if lapse is not None:
            result[team.pk] = lapse
    return result
