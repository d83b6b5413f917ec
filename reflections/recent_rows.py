"""The newest rows of each goal that the direction view lists: a shared personal goal's recent
check-ins and a team goal's recent thoughts, each read in one windowed query as plain rows.

Two forms of each read. The ORM's (`*_orm`) runs on every database. On PostgreSQL the same
query is said in SQL: building the ORM's window and its QUALIFY emulation cost about five
times running the query, and the direction view makes two of them on every request (issue
#17). tests/reflections/test_recent_rows.py checks the two forms return the same rows."""

from django.db import connections, router
from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from reflections.models import Thought
from teams.models import CheckIn

CHECKIN_FIELDS = ("goal_id", "day", "progress", "note", "created_at")
THOUGHT_FIELDS = (
    "team_goal_id",
    "created_at",
    "kind",
    "body",
    "author_id",
    "author__first_name",
    "author__last_name",
    "author__username",
)

RECENT_CHECKINS = """
    SELECT goal_id, day, progress, note, created_at FROM (
        SELECT goal_id, day, progress, note, created_at, ROW_NUMBER() OVER (
            PARTITION BY goal_id ORDER BY day DESC, created_at DESC
        ) AS rank
        FROM teams_checkin WHERE goal_id = ANY(%(ids)s)
    ) AS ranked
    WHERE rank <= %(limit)s
    ORDER BY day DESC, created_at DESC
"""
RECENT_THOUGHTS = """
    SELECT ranked.team_goal_id, ranked.created_at, ranked.kind, ranked.body, ranked.author_id,
        author.first_name, author.last_name, author.username
    FROM (
        SELECT id, team_goal_id, created_at, kind, body, author_id, ROW_NUMBER() OVER (
            PARTITION BY team_goal_id ORDER BY created_at DESC, id DESC
        ) AS rank
        FROM reflections_thought WHERE team_goal_id = ANY(%(ids)s) AND parent_id IS NULL
    ) AS ranked
    LEFT OUTER JOIN teams_user AS author ON author.id = ranked.author_id
    WHERE ranked.rank <= %(limit)s
    ORDER BY ranked.created_at DESC, ranked.id DESC
"""


def _newest(queryset: QuerySet, partition: str, order: list[str], limit: int) -> QuerySet:
    """The newest `limit` rows of each `partition` value, newest first."""
    rank = Window(
        RowNumber(),
        partition_by=F(partition),
        order_by=[F(name.removeprefix("-")).desc() for name in order],
    )
    return queryset.annotate(rank=rank).filter(rank__lte=limit).order_by(*order)


def _fetch(model, sql: str, ids: list[int], limit: int) -> list[tuple] | None:
    """The rows of `sql` on PostgreSQL, from the database the ORM would read `model` from;
    None on other databases."""
    connection = connections[router.db_for_read(model)]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": ids, "limit": limit})
        return cursor.fetchall()


def recent_checkins_orm(goal_ids: list[int], limit: int) -> list[tuple]:
    return list(
        _newest(
            CheckIn.objects.filter(goal_id__in=goal_ids), "goal_id", ["-day", "-created_at"], limit
        ).values_list(*CHECKIN_FIELDS)
    )


def recent_checkins(goal_ids: list[int], limit: int) -> list[tuple]:
    """The newest `limit` check-ins of each personal goal, newest first, as CHECKIN_FIELDS."""
    rows = _fetch(CheckIn, RECENT_CHECKINS, goal_ids, limit)
    return recent_checkins_orm(goal_ids, limit) if rows is None else rows


def recent_thoughts_orm(team_goal_ids: list[int], limit: int) -> list[tuple]:
    return list(
        _newest(
            Thought.objects.filter(team_goal_id__in=team_goal_ids, parent__isnull=True),
            "team_goal_id",
            ["-created_at", "-id"],
            limit,
        ).values_list(*THOUGHT_FIELDS)
    )


def recent_thoughts(team_goal_ids: list[int], limit: int) -> list[tuple]:
    """The newest `limit` thoughts (not replies) of each team goal, newest first, with their
    authors' names, as THOUGHT_FIELDS."""
    rows = _fetch(Thought, RECENT_THOUGHTS, team_goal_ids, limit)
    return recent_thoughts_orm(team_goal_ids, limit) if rows is None else rows
