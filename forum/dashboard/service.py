"""Monitoring and evaluation numbers for /dasbor: one aggregate query over the daily roll-up
(forum.dashboard.tally), never a loop over rows. Every figure can be grouped by agency, sector, BerAKHLAK
value or province."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from forum.core.clock import now
from forum.core.errors import InvalidInput
from forum.core.tables import Agency
from forum.core.taxonomy import PROVINCE_BY_SLUG, REPLICATION_DONE, SECTOR_BY_SLUG, VALUE_BY_SLUG, label
from forum.core.validation import clean_text
from forum.dashboard import tally

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
FIRST_YEAR, LAST_YEAR = 2000, 2100  # beyond them a date is a typo (and month arithmetic would overflow at 9999)


@dataclass(frozen=True, slots=True)
class DashboardQuery:
    start: date
    end: date  # inclusive
    dimension: str = "instansi"


def parse_query(params: dict[str, Any], today: date) -> DashboardQuery:
    errors: dict[str, str] = {}

    def day(name: str, default: date) -> date:
        raw = clean_text(params.get(name))
        if not raw:
            return default
        try:
            value = date.fromisoformat(raw)
        except ValueError:
            errors[name] = "Tanggal harus berformat TTTT-BB-HH."
            return default
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            errors[name] = f"Tanggal harus antara tahun {FIRST_YEAR} dan {LAST_YEAR}."
            return default
        return value

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
    recounting: bool = False  # changes wait for the background recount: the figures may be seconds behind


async def build_dashboard(query: DashboardQuery) -> Dashboard:
    """Seven figures per group, summed from the daily roll-up (forum.dashboard.tally) in one query. Reading
    writes nothing: the roll-up is kept current by the background recount (forum.dashboard.recount)."""
    figures: dict[str, dict[str, dict[str, int]]] = {tally.ALL: {}, query.dimension: {}}
    by_state: dict[str, dict[str, int]] = {}
    for row in await tally.read_tally(query.dimension, query.start, query.end, now().date()):
        metric, member, n = row["metric"], row["member"], int(row["n"])
        per = figures[row["per"]]
        if metric.startswith(tally.REPLICATION_PREFIX):
            state = metric.removeprefix(tally.REPLICATION_PREFIX)
            if row["per"] == query.dimension:
                by_state.setdefault(member, {})[state] = n
            _add(per, "replications", member, n)
            if state in REPLICATION_DONE:
                _add(per, "replications_done", member, n)
        else:
            _add(per, "commitments_overdue" if metric == tally.OPEN_COMMITMENTS else metric, member, n)
    rows_figures = figures[query.dimension]
    groups = set().union(*(set(values) for values in rows_figures.values()))
    labels = await _labels(query.dimension, groups)
    rows = []
    for group in groups:
        row: dict[str, Any] = {"key": group, "label": labels.get(group, group), "by_state": by_state.get(group, {})}
        row.update({metric: rows_figures.get(metric, {}).get(group, 0) for metric in METRICS})
        rows.append(row)
    rows.sort(key=lambda r: (-r["cases"], -r["cross_replies"], r["label"]))
    # Totals come from the tag-free grouping: a thread with three values counts once, not three times.
    totals = {metric: sum(figures[tally.ALL].get(metric, {}).values()) for metric in METRICS}
    return Dashboard(query=query, rows=rows, totals=totals, recounting=await tally.is_recounting())


def _add(figures: dict[str, dict[str, int]], metric: str, member: str, n: int) -> None:
    counts = figures.setdefault(metric, {})
    counts[member] = counts.get(member, 0) + n


async def _labels(dimension: str, groups: set[str]) -> dict[str, str]:
    if dimension == "instansi":
        ids = [int(g) for g in groups if g.isdigit()]
        rows = await Agency.select(Agency.id, Agency.name).where(Agency.id.is_in(ids)) if ids else []
        return {str(row["id"]): row["name"] for row in rows}
    terms = {"sektor": SECTOR_BY_SLUG, "nilai": VALUE_BY_SLUG, "provinsi": PROVINCE_BY_SLUG}[dimension]
    return {group: label(terms, group) for group in groups}
