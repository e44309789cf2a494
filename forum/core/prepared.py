"""Hot reads whose SQL is built once: a Piccolo select written as usual, compiled on first use, then run with
new values and no query building.

Piccolo builds each select anew in Python (columns, joins, aliases, the WHERE tree), which cost 1–2.5 ms a query
and was the largest share of a page after rendering. For the few reads every page makes, ``prepared`` takes a
function that builds the query from placeholders, compiles it once per engine, and afterwards only swaps the
values into the compiled statement. The query still runs through the engine (the current transaction, the pool,
the SQLite snapshot of the thread page) and its rows through Piccolo's own result handling, so callers get the
very rows the unprepared query gave.

Only the values can change between calls, never the shape: a query whose SQL depends on its values (an ``IN``
list, an optional filter) is one prepared query per shape.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from piccolo.query.base import Query

from forum.core.db import engine


class _Slot:
    """Stands for the n-th value while the query is compiled; never sent to a database."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __repr__(self) -> str:
        return f"<value {self.index}>"


class Prepared:
    def __init__(self, build: Callable[..., Query[Any, Any]], arity: int, first: bool) -> None:
        self.build = build
        self.arity = arity
        self.first = first
        self._compiled: dict[str, tuple[Query[Any, Any], Any, str, list[Any]]] = {}

    def _compile(self, engine_type: str) -> tuple[Query[Any, Any], Any, str, list[Any]]:
        query = self.build(*(_Slot(n) for n in range(self.arity)))
        (querystring,) = query.querystrings
        sql, args = querystring.compile_string(engine_type=engine_type)
        used = {arg.index for arg in args if isinstance(arg, _Slot)}
        if used != set(range(self.arity)):
            raise ValueError(f"prepared query uses values {sorted(used)} of {self.arity}")
        compiled = (query, querystring, sql, args)
        self._compiled[engine_type] = compiled
        return compiled

    async def __call__(self, *values: Any) -> Any:
        if len(values) != self.arity:
            raise TypeError(f"expected {self.arity} values, got {len(values)}")
        if any(value is None for value in values):
            raise ValueError("a prepared query compares with =, so None would match nothing: build another shape")
        db = engine()
        query, template, sql, args = self._compiled.get(db.engine_type) or self._compile(db.engine_type)
        querystring = copy.copy(template)
        querystring._frozen_compiled_strings = (sql, [values[a.index] if isinstance(a, _Slot) else a for a in args])
        rows = await query._process_results(await db.run_querystring(querystring))
        if self.first:
            return rows[0] if rows else None
        return rows


def prepared(arity: int, first: bool = False) -> Callable[[Callable[..., Query[Any, Any]]], Prepared]:
    """``@prepared(1, first=True)`` over ``def thread_by_id(thread_id): return Thread.select(...).where(...)``;
    then ``await thread_by_id(5)``. ``first`` adds nothing to the SQL: build the query with ``.limit(1)``."""

    def wrap(build: Callable[..., Query[Any, Any]]) -> Prepared:
        return Prepared(build, arity, first)

    return wrap
