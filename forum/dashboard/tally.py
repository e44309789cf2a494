"""The dashboard's roll-up: pre-counted figures per day, grouping and metric, so that /dasbor sums a few
thousand small rows instead of joining every reply to its thread and author on each request.

How it stays right:

- Every change that can move a figure marks the days it touches (``mark_days`` / ``mark_thread``) in a
  ``dashboard_stale_day`` row, inside the change's own transaction, so a committed change is never forgotten.
- In the background (forum.dashboard.recount) and before the dashboard reads, ``bring_up_to_date`` takes the
  earliest marked days (a mark committed meanwhile waits for the next round) and recounts each run of
  consecutive days from the source tables with the very aggregate queries a full rebuild uses. Recounting a whole day, rather than adding and
  subtracting deltas, means a change only has to know *which days* it touched, never by how much.
- A mark with no day means "everything" (written by the migration that created the roll-up, by bulk loaders
  and by ``sinergi rebuild-dashboard``).

Days are UTC days, like the dashboard's period. A thread's figures depend on its own status, kind, agency,
sector, province and values; an event's day never changes once it happened. So a change to one existing
thread marks every day on which that thread has an event (``mark_thread``, called *before* the change so a
deletion still finds them), and a new event marks its own day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from forum.core.db import is_sqlite, write_transaction
from forum.core.tables import DashboardMonthTally, DashboardStaleDay, DashboardTally
from forum.core.taxonomy import COMMITMENT_DONE, COMMITMENT_OPEN

ALL = "semua"  # the dimension holding tag-free totals (a thread with three values counts once)
GROUPINGS = ("instansi", "sektor", "provinsi", "nilai", ALL)
OPEN_COMMITMENTS = "commitments_open"  # counted on their due day; "overdue" is the part before today
REPLICATION_PREFIX = "replication:"
_LOCK_KEY = 5_171_240  # PostgreSQL advisory lock: one recount at a time
DAYS_PER_TRANSACTION = 31


@dataclass(frozen=True, slots=True)
class Event:
    """One kind of countable event: where it lives, which rows count, and when it happened."""

    metric: str  # a metric name, or an SQL expression giving one (replications count per state)
    source: str  # FROM clause; the thread it belongs to is aliased "t"
    counts: str  # which rows count (tested inside the sum, see _count_into_tally)
    moment: str = ""  # timestamp column giving the day (UTC) ...
    day_column: str = ""  # ... or a date column
    agency: str = "t.agency"  # whose agency the event counts for on the per-agency view


# The member behind an event ("by"), and whether they count: CurrentUser.is_trusted, in SQL.
_TRUSTED = "(by_user.verified_at IS NOT NULL OR by_user.is_agency_admin = TRUE OR by_user.role <> 'member')"


def _by(column: str) -> str:
    return f"JOIN forum_user by_user ON by_user.id = {column}"


def _events() -> list[Event]:
    # Done on time: closed before the end of its due day (UTC); the SQL for "end of the due day" differs.
    before_due_end = (
        "c.closed_at < date(c.due_on, '+1 day')" if is_sqlite() else "c.closed_at < ((c.due_on + 1)::timestamp AT TIME ZONE 'UTC')"
    )
    return [
        Event("'cases'", "thread t", "t.status = 'published' AND t.kind = 'inovasi'", moment="t.created_at"),
        # A reply counts for the agency its author wrote for (post.agency), not the one they moved to since.
        Event("'cross_replies'", "post p JOIN thread t ON t.id = p.thread",
              "t.status = 'published' AND p.status = 'published' AND p.agency <> t.agency", moment="p.created_at"),
        # A replication or a commitment counts once whoever declared it is trusted (verified by their agency or
        # an official address, or staff): an unverified account cannot move the public figures.
        Event(f"'{REPLICATION_PREFIX}' || r.state", f"replication r JOIN thread t ON t.id = r.source_thread {_by('r.requested_by')}",
              _TRUSTED, moment="r.created_at"),
        # Commitments belong to their owner's agency on the agency view, and to their thread's tags otherwise.
        Event("'commitments_on_time'", f"commitment c JOIN thread t ON t.id = c.thread {_by('c.created_by')}",
              f"c.status = '{COMMITMENT_DONE}' AND {before_due_end} AND {_TRUSTED}", moment="c.closed_at",
              agency="c.owner_agency"),
        Event(f"'{OPEN_COMMITMENTS}'", f"commitment c JOIN thread t ON t.id = c.thread {_by('c.created_by')}",
              f"c.status = '{COMMITMENT_OPEN}' AND {_TRUSTED}", day_column="c.due_on", agency="c.owner_agency"),
        Event("'indicators_verified'", "indicator i JOIN thread t ON t.id = i.thread", "i.verified_at IS NOT NULL",
              moment="i.verified_at"),
    ]  # fmt: skip


def _day_of(moment: str) -> str:
    return f"date({moment})" if is_sqlite() else f"(({moment}) AT TIME ZONE 'UTC')::date"


# Per grouping: its member, taken from the event rows "e" (see _count_into_tally), and the join it needs.
_MEMBERS = {
    "instansi": ("CAST(e.agency AS TEXT)", ""),
    "sektor": ("e.sector", ""),
    "provinsi": ("e.province", ""),
    "nilai": ("tv.value", " JOIN thread_value tv ON tv.thread = e.thread"),
    ALL: ("''", ""),
}


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


async def _count_into_tally(first: date | None, last: date | None) -> None:
    """Count every event from ``first`` to ``last`` (inclusive; None: all time) into the daily roll-up.

    The WHERE clause holds only the event's own time window, and which rows count is tested inside the
    sum: that leaves the planner one choice, the time index, whatever statistics it has. (Without planner
    statistics SQLite preferred the status index and read every thread to recount one day: 1.5 s at 100k.)
    """
    for event in _events():
        day = event.day_column or _day_of(event.moment)
        window, args = "TRUE", []
        if first is not None and last is not None:
            if event.day_column:
                window, args = f"{event.day_column} >= {{}} AND {event.day_column} <= {{}}", [first, last]
            else:
                window, args = f"{event.moment} >= {{}} AND {event.moment} < {{}}", [_start(first), _start(last + timedelta(days=1))]
        rows = (f"SELECT {day} AS day, {event.agency} AS agency, t.sector AS sector, t.province AS province, "
                f"t.id AS thread, {event.metric} AS metric, CASE WHEN {event.counts} THEN 1 ELSE 0 END AS counted "
                f"FROM {event.source} WHERE {window}")  # fmt: skip
        # One statement per event: its rows are read once and summed for every grouping.
        per_grouping = []
        for grouping in GROUPINGS:
            member, join = _MEMBERS[grouping]
            present = "" if grouping == ALL else f" WHERE {member} IS NOT NULL AND {member} <> ''"
            per_grouping.append(
                f"SELECT e.day, '{grouping}', {member}, e.metric, SUM(e.counted) FROM e{join}{present} "
                "GROUP BY 1, 3, 4 HAVING SUM(e.counted) > 0"  # day, member, metric
            )
        await DashboardTally.raw(
            f"WITH e AS ({rows}) INSERT INTO dashboard_tally (day, per, member, metric, n) "
            + " UNION ALL ".join(per_grouping),
            *args,
        )


def _month_of(day: str) -> str:
    return f"date({day}, 'start of month')" if is_sqlite() else f"date_trunc('month', {day}::timestamp)::date"


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


async def _recount_months() -> None:
    """Sum every daily row into the month roll-up (after a full recount)."""
    await DashboardMonthTally.raw("DELETE FROM dashboard_month_tally")
    await DashboardMonthTally.raw(
        "INSERT INTO dashboard_month_tally (month, per, member, metric, n) "
        f"SELECT {_month_of('day')}, per, member, metric, SUM(n) FROM dashboard_tally GROUP BY 1, 2, 3, 4"
    )


def _groupings_sql() -> str:
    # Naming every grouping lets both engines use the (per, day, …) index for a range of days.
    return ", ".join(f"'{grouping}'" for grouping in GROUPINGS)


async def _recount(first: date, last: date) -> None:
    """Recount the days from ``first`` to ``last``; their months change by the difference (old rows taken
    out, new rows added), so a recount never re-sums a whole month."""
    await _add_days_to_months(first, last, sign=-1)
    await DashboardTally.raw(
        f"DELETE FROM dashboard_tally WHERE per IN ({_groupings_sql()}) AND day >= {{}} AND day <= {{}}", first, last
    )
    await _count_into_tally(first, last)
    await _add_days_to_months(first, last, sign=+1)
    await DashboardMonthTally.raw(
        f"DELETE FROM dashboard_month_tally WHERE per IN ({_groupings_sql()}) AND month >= {{}} AND month <= {{}} "
        "AND n = 0", month_start(first), month_start(last),
    )  # fmt: skip


async def _add_days_to_months(first: date, last: date, sign: int) -> None:
    await DashboardMonthTally.raw(
        "INSERT INTO dashboard_month_tally (month, per, member, metric, n) "
        f"SELECT {_month_of('day')}, per, member, metric, {'-' if sign < 0 else ''}SUM(n) FROM dashboard_tally "
        f"WHERE per IN ({_groupings_sql()}) AND day >= {{}} AND day <= {{}} GROUP BY 1, 2, 3, 4 "
        "ON CONFLICT (per, month, member, metric) DO UPDATE SET n = dashboard_month_tally.n + excluded.n",
        first, last,
    )  # fmt: skip


async def _recount_everything() -> None:
    await DashboardTally.raw("DELETE FROM dashboard_tally")
    await _count_into_tally(None, None)
    await _recount_months()


def consecutive_runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """[(first, last), …] covering the given days, one pair per run of consecutive days."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _as_day(value: Any) -> date | None:
    if value is None:
        return None
    return value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(str(value)[:10])


async def bring_up_to_date() -> int:
    """Recount the marked days; returns how many runs of days were recounted (-1: everything).

    At most DAYS_PER_TRANSACTION marked days per transaction, so that a change touching many days (hiding a
    thread discussed over a year) never holds SQLite's write lock for long; other writers go in between."""
    recounted = 0
    while await DashboardStaleDay.exists():  # the common case: one indexed read, no write lock
        runs = await _recount_marked_days()
        if runs == 0:
            break  # another worker took them
        recounted = -1 if runs < 0 or recounted < 0 else recounted + runs
    return recounted


async def _recount_marked_days() -> int:
    async with write_transaction():
        if not is_sqlite():
            await DashboardTally.raw(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        if await DashboardStaleDay.exists().where(DashboardStaleDay.day.is_null()):
            await DashboardStaleDay.delete(force=True)
            await _recount_everything()
            return -1
        earliest = await DashboardStaleDay.raw(
            f"SELECT DISTINCT day FROM dashboard_stale_day ORDER BY day LIMIT {DAYS_PER_TRANSACTION}"
        )
        if not earliest:
            return 0
        days = [_as_day(row["day"]) for row in earliest]
        # The marks of these days visible now go; a mark committed later stays for the next round, and any
        # change whose mark this deletes is committed, so the recount below sees it.
        placeholders = ", ".join("{}" for _ in days)
        await DashboardStaleDay.raw(f"DELETE FROM dashboard_stale_day WHERE day IN ({placeholders})", *days)
        runs = consecutive_runs(day for day in days if day is not None)
        for first, last in runs:
            await _recount(first, last)
        return len(runs)


async def is_recounting() -> bool:
    """Whether some change still waits for the recount (the figures read now may be a few seconds behind)."""
    return await DashboardStaleDay.exists()


async def rebuild() -> None:
    """Recount everything now (after bulk loads; also `sinergi rebuild-dashboard`)."""
    await mark_everything()
    await bring_up_to_date()


async def mark_everything() -> None:
    await DashboardStaleDay.insert(DashboardStaleDay(day=None))


async def mark_days(*days: date | datetime | None) -> None:
    """Mark days whose figures may have changed (call inside the change's transaction)."""
    unique = {_as_day(day.astimezone(UTC) if isinstance(day, datetime) else day) for day in days if day}
    if unique:
        await DashboardStaleDay.insert(*(DashboardStaleDay(day=day) for day in sorted(unique)))  # type: ignore[type-var]


async def mark_post(post_id: int) -> None:
    """A reply's status changes: only its own day's figures move."""
    rows = await DashboardStaleDay.raw(f"SELECT {_day_of('created_at')} AS day FROM post WHERE id = {{}}", post_id)
    await mark_days(*(_as_day(row["day"]) for row in rows))


async def mark_thread(*thread_ids: int) -> None:
    """Every day on which these threads have an event: call *before* changing the threads' status, kind, tags,
    or deleting them (afterwards the days of a deleted thread could not be found)."""
    if not thread_ids:
        return
    ids = ", ".join(str(int(thread_id)) for thread_id in thread_ids)
    if not is_sqlite():
        # Hold the threads still while their days are collected: a merge moving replies into one of them
        # updates its row too, so it either lands before this (its days are collected) or waits for this.
        await DashboardStaleDay.raw(f"SELECT id FROM thread WHERE id IN ({ids}) FOR UPDATE")
    sql = " UNION ".join([
        f"SELECT {_day_of('created_at')} AS day FROM thread WHERE id IN ({ids})",
        f"SELECT DISTINCT {_day_of('created_at')} FROM post WHERE thread IN ({ids})",
        f"SELECT {_day_of('created_at')} FROM replication WHERE source_thread IN ({ids})",
        f"SELECT {_day_of('closed_at')} FROM commitment WHERE thread IN ({ids}) AND closed_at IS NOT NULL",
        f"SELECT due_on FROM commitment WHERE thread IN ({ids})",
        f"SELECT {_day_of('verified_at')} FROM indicator WHERE thread IN ({ids}) AND verified_at IS NOT NULL",
    ])  # fmt: skip
    await mark_days(*(_as_day(row["day"]) for row in await DashboardStaleDay.raw(sql)))


def split_period(first: date, last: date, today: date) -> tuple[date, date]:
    """The whole months [from, to) of the period that can be read from the month roll-up: inside the period
    and over before today (so every open commitment in them is overdue). Days outside come from daily rows."""
    months_from = first if first.day == 1 else next_month(first)
    bound = min(last + timedelta(days=1), today)  # exclusive
    months_to = bound if bound.day == 1 else month_start(bound)
    return (months_from, months_to) if months_from < months_to else (first, first)


async def read_tally(grouping: str, first: date, last: date, today: date) -> list[dict[str, Any]]:
    """Summed figures of one grouping plus the tag-free totals, for the period: rows of per, member, metric,
    n. Whole past months come from the month roll-up, the days around them from the daily one. Open
    commitments count only on due days before today (that is what "overdue" means)."""
    months_from, months_to = split_period(first, last, today)
    # Three index ranges (loose days before, whole months, loose days after), never one range with a hole:
    # a condition like "day < x OR day >= y" made SQLite walk every day of the period (2× slower at 3 years).
    return await DashboardTally.raw(
        "SELECT per, member, metric, SUM(n) AS n FROM ("
        " SELECT per, member, metric, n FROM dashboard_tally WHERE per IN ({}, {}) AND day >= {} AND day < {}"
        " UNION ALL"
        " SELECT per, member, metric, n FROM dashboard_month_tally WHERE per IN ({}, {}) AND month >= {} AND month < {}"
        " UNION ALL"
        " SELECT per, member, metric, n FROM dashboard_tally WHERE per IN ({}, {}) AND day >= {} AND day <= {}"
        f" AND (metric <> '{OPEN_COMMITMENTS}' OR day < {{}})"
        ") AS figures GROUP BY per, member, metric",
        grouping, ALL, first, months_from,
        grouping, ALL, months_from, months_to,
        grouping, ALL, months_to, last, today,
    )  # fmt: skip
