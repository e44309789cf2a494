"""Monitoring and evaluation numbers for /dasbor: a few GROUP BY queries over the whole period, never a loop
over rows. Every figure can be grouped by agency, sector, BerAKHLAK value or province."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from forum.clock import now
from forum.db import is_sqlite
from forum.errors import InvalidInput
from forum.tables import Agency, Thread
from forum.taxonomy import PROVINCE_BY_SLUG, SECTOR_BY_SLUG, VALUE_BY_SLUG, label
from forum.validation import clean_text

DIMENSIONS = {"instansi": "Instansi", "sektor": "Sektor", "nilai": "Nilai BerAKHLAK", "provinsi": "Provinsi"}
METRICS = {
    "cases": "Kasus inovasi baru",
    "cross_replies": "Balasan dari instansi lain",
    "replications": "Replikasi (semua status)",
    "replications_done": "Replikasi diterapkan",
    "commitments_on_time": "Komitmen selesai tepat waktu",
    "commitments_overdue": "Komitmen terlambat",
    "indicators_verified": "Indikator terverifikasi",
}
MAX_PERIOD_DAYS = 3 * 366

# SQL for the group key of a thread aliased "t", per dimension (values need the tag table).
_GROUP = {
    "instansi": ("t.agency", ""),
    "sektor": ("t.sector", ""),
    "provinsi": ("t.province", ""),
    "nilai": ("tv.value", 'JOIN thread_value tv ON tv.thread = t.id'),
}


@dataclass(frozen=True, slots=True)
class DashboardQuery:
    start: date
    end: date  # inclusive
    dimension: str = "instansi"

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=timezone.utc)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=timezone.utc)


def parse_query(params: dict[str, Any], today: date) -> DashboardQuery:
    errors: dict[str, str] = {}

    def day(name: str, default: date) -> date:
        raw = clean_text(params.get(name))
        if not raw:
            return default
        try:
            return date.fromisoformat(raw)
        except ValueError:
            errors[name] = "Tanggal harus berformat TTTT-BB-HH."
            return default

    end = day("sampai", today)
    start = day("dari", end - timedelta(days=365))
    dimension = clean_text(params.get("per")) or "instansi"
    if dimension not in DIMENSIONS:
        errors["per"] = f"Kelompokkan per: {', '.join(DIMENSIONS)}."
    if not errors and start > end:
        errors["dari"] = "Tanggal awal harus sebelum tanggal akhir."
    if not errors and (end - start).days > MAX_PERIOD_DAYS:
        errors["dari"] = "Periode paling panjang tiga tahun."
    if errors:
        raise InvalidInput(errors, detail="Filter dasbor tidak valid.")
    return DashboardQuery(start=start, end=end, dimension=dimension)


@dataclass(slots=True)
class Dashboard:
    query: DashboardQuery
    rows: list[dict[str, Any]] = field(default_factory=list)  # one per group: key, label, and each metric
    totals: dict[str, int] = field(default_factory=dict)


async def _grouped(sql: str, *args: Any) -> dict[str, int]:
    rows = await Thread.raw(sql, *args)
    return {str(row["k"]): int(row["n"]) for row in rows if row["k"] is not None}


async def build_dashboard(query: DashboardQuery) -> Dashboard:
    """Seven figures per group from six aggregate queries (plus one for agency names)."""
    key, join = _GROUP[query.dimension]
    start, end = query.start_at, query.end_at
    published = "t.status = 'published'"
    figures: dict[str, dict[str, int]] = {}
    figures["cases"] = await _grouped(
        f"SELECT {key} AS k, COUNT(*) AS n FROM thread t {join} WHERE {published} AND t.kind = 'inovasi' "
        "AND t.created_at >= {} AND t.created_at < {} GROUP BY " + key, start, end)  # fmt: skip
    figures["cross_replies"] = await _grouped(
        f"SELECT {key} AS k, COUNT(*) AS n FROM post p JOIN thread t ON t.id = p.thread {join} "
        "JOIN forum_user u ON u.id = p.author "
        f"WHERE {published} AND p.status = 'published' AND u.agency <> t.agency "
        "AND p.created_at >= {} AND p.created_at < {} GROUP BY " + key, start, end)  # fmt: skip
    replication_rows = await Thread.raw(
        f"SELECT {key} AS k, r.state AS state, COUNT(*) AS n FROM replication r JOIN thread t ON t.id = r.source_thread "
        f"{join} WHERE r.created_at >= {{}} AND r.created_at < {{}} GROUP BY {key}, r.state", start, end)  # fmt: skip
    figures["replications"], figures["replications_done"] = {}, {}
    by_state: dict[str, dict[str, int]] = {}
    for row in replication_rows:
        group = str(row["k"])
        figures["replications"][group] = figures["replications"].get(group, 0) + int(row["n"])
        by_state.setdefault(group, {})[row["state"]] = int(row["n"])
        if row["state"] in ("diterapkan", "hasil"):
            figures["replications_done"][group] = figures["replications_done"].get(group, 0) + int(row["n"])
    # Commitments belong to their owner's agency on the agency view, and to their thread's tags otherwise.
    commitment_key = "c.owner_agency" if query.dimension == "instansi" else key
    # Done on time: closed in the period, before the end of its due day (UTC; the SQL differs per engine).
    # Overdue: still open, due in the period and before today.
    before_due_end = (
        "c.closed_at < date(c.due_on, '+1 day')" if is_sqlite() else "c.closed_at < ((c.due_on + 1)::timestamp AT TIME ZONE 'UTC')"
    )
    figures["commitments_on_time"] = await _grouped(
        f"SELECT {commitment_key} AS k, COUNT(*) AS n FROM commitment c JOIN thread t ON t.id = c.thread {join} "
        f"WHERE c.status = 'selesai' AND {before_due_end} "
        "AND c.closed_at >= {} AND c.closed_at < {} "
        f"GROUP BY {commitment_key}", start, end)  # fmt: skip
    figures["commitments_overdue"] = await _grouped(
        f"SELECT {commitment_key} AS k, COUNT(*) AS n FROM commitment c JOIN thread t ON t.id = c.thread {join} "
        "WHERE c.status = 'open' AND c.due_on >= {} AND c.due_on <= {} AND c.due_on < {} "
        f"GROUP BY {commitment_key}", query.start, query.end, now().date())  # fmt: skip
    figures["indicators_verified"] = await _grouped(
        f"SELECT {key} AS k, COUNT(*) AS n FROM indicator i JOIN thread t ON t.id = i.thread {join} "
        "WHERE i.verified_at >= {} AND i.verified_at < {} GROUP BY " + key, start, end)  # fmt: skip
    return await _assemble(query, figures, by_state)


async def _assemble(query: DashboardQuery, figures: dict[str, dict[str, int]],
                    by_state: dict[str, dict[str, int]]) -> Dashboard:  # fmt: skip
    groups = set().union(*(set(values) for values in figures.values()))
    labels = await _labels(query.dimension, groups)
    rows = []
    for group in groups:
        row: dict[str, Any] = {"key": group, "label": labels.get(group, group), "by_state": by_state.get(group, {})}
        row.update({metric: figures[metric].get(group, 0) for metric in METRICS})
        rows.append(row)
    rows.sort(key=lambda r: (-r["cases"], -r["cross_replies"], r["label"]))
    totals = {metric: sum(values.values()) for metric, values in figures.items()}
    if query.dimension == "nilai":
        # A thread with three values counts once per value in the rows; totals count it once.
        totals = await _distinct_totals(query, totals)
    return Dashboard(query=query, rows=rows, totals=totals)


async def _labels(dimension: str, groups: set[str]) -> dict[str, str]:
    if dimension == "instansi":
        ids = [int(g) for g in groups if g.isdigit()]
        rows = await Agency.select(Agency.id, Agency.name).where(Agency.id.is_in(ids)) if ids else []
        return {str(row["id"]): row["name"] for row in rows}
    terms = {"sektor": SECTOR_BY_SLUG, "nilai": VALUE_BY_SLUG, "provinsi": PROVINCE_BY_SLUG}[dimension]
    return {group: label(terms, group) for group in groups}


async def _distinct_totals(query: DashboardQuery, totals: dict[str, int]) -> dict[str, int]:
    """Totals without the value tags' double counting: the same queries grouped by nothing."""
    whole = DashboardQuery(start=query.start, end=query.end, dimension="sektor")
    return (await build_dashboard(whole)).totals
