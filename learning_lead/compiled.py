"""Querysets compiled to SQL once per process and run with each request's values: for the few
queries a hot page runs on every request (the session page's access check and contents, the
questions list's page, the team's membership). Building such a queryset (cloning it through
its filters, annotations and subqueries) and compiling it cost more of the web worker's CPU
than PostgreSQL spends answering it: the questions list's page took 2 ms to build and half a
millisecond to run. Each is built once with stand-in values no row holds, the places of the
stand-ins' parameters noted, and that SQL run with each call's values (learning_lead/auth.py
does the same for the signed-in user). The queryset stays the one statement of what is read,
and nothing about the data is kept, only the text of the query. Two forms:

- ``Compiled(build)``: `build` is a function of whole-number ids whose queryset's shape does
  not depend on them; each call returns what iterating the queryset would (model instances,
  joined rows, annotations, ``prefetch_related``), Django turning the rows into them as usual,
  on any database.
- ``Query(build, **stand_ins)``: stand-ins of other kinds too (dates, times, lists of ids or
  UUIDs); ``rows()`` returns the driver's rows, without the ORM's converters, so it runs on
  PostgreSQL only (``available``) and the caller makes instances (``instance``); elsewhere it
  evaluates its queryset, and its tests compare the two.
"""

import copy
import functools
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime

from django.db import connections, router
from django.db.models import QuerySet

_BASE = -424_200  # stand-in ids: negative, so no row has one


def number(index: int) -> int:
    """A stand-in for an id or another number (``index`` tells a query's apart)."""
    return _BASE - index


def day(index: int) -> date:
    """A stand-in for a date."""
    return date(1, 1, index)


def moment(index: int) -> datetime:
    """A stand-in for an aware date and time."""
    return datetime(1, 1, index, tzinfo=UTC)


def uuids(count: int, index: int = 0) -> list[uuid.UUID]:
    """Stand-ins for a list of up to ``count`` UUIDs (an ``__in`` lookup's)."""
    return [uuid.UUID(int=(index << 32) + position + 1) for position in range(count)]


def available(alias: str) -> bool:
    return connections[alias].vendor == "postgresql"


@functools.cache
def columns(model, prefix: str = "") -> tuple[str, ...]:
    """All of `model`'s columns (for ``values_list``), through `prefix` (``"team__"``)."""
    return tuple(prefix + field.attname for field in model._meta.concrete_fields)


def instance(model, alias: str, values):
    """`model` from the values of all its ``columns``, as the ORM loads it; None when its row
    was not joined (a null id)."""
    if values[0] is None:
        return None
    return model.from_db(alias, columns(model), values)


def _same(param, stand_in) -> bool:
    # psycopg's typed numbers (Int4, for a number the SQL compares with an expression) are
    # ints too.
    return isinstance(param, type(stand_in)) and param == stand_in


def _typed(param, stand_in):
    """How to make a value into the parameter the stand-in became (Int4(value), say)."""
    return None if type(param) is type(stand_in) else type(param)


class Query:
    """``build(**stand_ins)``'s SQL, compiled once per database alias; ``rows(alias,
    **values)`` runs it with ``values`` in the stand-ins' places. A list value may be shorter
    than its stand-in list: it is padded with its last item (an ``IN`` list that repeats an
    item selects the same rows)."""

    def __init__(self, build: Callable[..., QuerySet], **stand_ins):
        self.build = build
        self.stand_ins = stand_ins
        self._compiled: dict[str, tuple[str, list]] = {}

    def _compile(self, alias: str) -> tuple[str, list]:
        sql, params = self.build(**self.stand_ins).query.get_compiler(alias).as_sql()
        # Per parameter: (the stand-in's name, its position in its list or None, the type to
        # give a value or None); or (None, None, the fixed parameter).
        slots = []
        for param in params:
            slot = (None, None, param)
            for name, stand_in in self.stand_ins.items():
                if isinstance(stand_in, list):
                    for position, item in enumerate(stand_in):
                        if _same(param, item):
                            slot = (name, position, _typed(param, item))
                elif _same(param, stand_in):
                    slot = (name, None, _typed(param, stand_in))
            slots.append(slot)
        wanted = {
            (name, position)
            for name, stand_in in self.stand_ins.items()
            for position in (range(len(stand_in)) if isinstance(stand_in, list) else [None])
        }
        missing = wanted - {(name, position) for name, position, _kind in slots}
        if missing:
            raise ValueError(f"Stand-ins missing from the SQL: {sorted(map(str, missing))}")
        return sql, slots

    def rows(self, alias: str, **values) -> list[tuple]:
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        sql, slots = compiled
        for name, value in values.items():
            if isinstance(value, Sequence) and not isinstance(value, str):
                size = len(self.stand_ins[name])
                if not 0 < len(value) <= size:
                    raise ValueError(f"{name}: 1 to {size} values, not {len(value)}")
                values[name] = [*value, *[value[-1]] * (size - len(value))]
        params = []
        for name, position, kind in slots:
            if name is None:
                params.append(kind)  # the fixed parameter
                continue
            value = values[name] if position is None else values[name][position]
            params.append(value if kind is None else kind(value))
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


# Stand-ins for the ids while compiling: in range for an integer column (an id out of range
# compiles to no query at all) and far from any constant a query holds.
_STAND_IN = 1_987_654_000


class Compiled:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._queryset: QuerySet | None = None
        self._names: tuple[str, ...] = ()
        self._by_alias: dict[str, tuple] = {}

    def _prepared(self, names: tuple[str, ...]) -> QuerySet:
        if self._queryset is None:
            self._queryset = self.build(
                **{name: _STAND_IN + index for index, name in enumerate(names)}
            )
            self._names = names
        if names != self._names:
            raise TypeError(f"called with {names}, compiled for {self._names}")
        return self._queryset

    def _compiler(self, queryset: QuerySet, alias: str) -> tuple:
        found = self._by_alias.get(alias)
        if found is None:
            compiler = queryset.query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            stand_ins = {_STAND_IN + index: name for index, name in enumerate(self._names)}
            # Each parameter is either an id's place (its name) or a constant (itself).
            slots = tuple((stand_ins.get(value, ""), value) for value in params)
            missing = set(self._names) - {name for name, _ in slots}
            if missing or str(_STAND_IN)[:6] in sql:
                raise ValueError(f"ids {sorted(missing)} are not plain parameters of the query")
            found = self._by_alias[alias] = (compiler, sql, slots)
        return found

    def __call__(self, **ids: int) -> list:
        """The rows of the queryset built with these ids, as a list of model instances."""
        names = tuple(sorted(ids))
        for name in names:
            if type(ids[name]) is not int:
                raise TypeError(f"{name} must be a whole number, not {ids[name]!r}")
        prepared = self._prepared(names)
        alias = router.db_for_read(prepared.model, **prepared._hints)
        compiled, sql, slots = self._compiler(prepared, alias)
        params = tuple(ids[name] if name else value for name, value in slots)
        # A copy per call, bound to this thread's connection, that answers with the SQL kept.
        compiler = copy.copy(compiled)
        compiler.connection = connections[alias]
        compiler.as_sql = functools.partial(_answer, sql, params)
        queryset = prepared._chain()
        queryset._db = alias
        queryset.query.get_compiler = functools.partial(_given, compiler)
        return list(queryset)


def _answer(sql: str, params: tuple, *args, **kwargs) -> tuple[str, tuple]:
    return sql, params


def _given(compiler, *args, **kwargs):
    return compiler
