"""Querysets built and compiled to SQL once per process, for the few queries a hot page runs on
every request (the session page's access check and contents): building such a queryset and
compiling it cost more of the web worker's CPU than PostgreSQL spends answering it.

``Compiled(build)`` takes a function of whole-number ids (``build(pk=..., user_id=...)``) that
returns a queryset whose shape does not depend on them: the ids are only compared in the
query. It is built once with stand-ins for the ids and compiled once per database alias; each
call runs that SQL with the ids given, and Django turns the rows into model instances (joined
rows, annotations, ``prefetch_related``) exactly as for the queryset itself. Nothing about
the data is kept, only the text of the query."""

import copy
import functools
from collections.abc import Callable

from django.db import connections, router
from django.db.models import QuerySet

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
