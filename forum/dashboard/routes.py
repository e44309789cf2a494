"""/dasbor: the monitoring and evaluation view, its CSV export, and the same numbers as JSON."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template

from forum.core.clock import now
from forum.core.errors import InvalidInput
from forum.dashboard.service import DIMENSIONS, METRICS, build_dashboard, parse_query
from forum.web.forms import page, query_params

# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...), +cmd|..., @SUM(...));
# OWASP's advice: prefix such text cells with an apostrophe so they are read as text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows and never evaluates: text that could start a formula gets a leading
    apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return f"'{value}"
    return value


class DashboardPages(Controller):
    include_in_schema = False

    @get("/dasbor", name="dashboard")
    async def dashboard(self, request: Request[Any, Any, Any]) -> Template:
        params = query_params(request)
        try:
            query = parse_query(params, now().date())
        except InvalidInput as exc:
            query = parse_query({}, now().date())
            return page("dashboard/index.html", status_code=422, board=await build_dashboard(query),
                        errors=exc.errors, dimensions=DIMENSIONS, metrics=METRICS, params=params)  # fmt: skip
        return page("dashboard/index.html", board=await build_dashboard(query), errors={}, dimensions=DIMENSIONS,
                    metrics=METRICS, params=params)  # fmt: skip

    @get("/dasbor.csv")
    async def export(self, request: Request[Any, Any, Any]) -> Response[str]:
        query = parse_query(query_params(request), now().date())
        board = await build_dashboard(query)
        out = io.StringIO()
        writer = csv.writer(out)
        rows = [[DIMENSIONS[query.dimension], *METRICS.values()]]
        rows += [[row["label"], *(row[metric] for metric in METRICS)] for row in board.rows]
        rows.append(["Total", *(board.totals.get(metric, 0) for metric in METRICS)])
        writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
        name = f"sinergi-dasbor-{query.dimension}-{query.start}-{query.end}.csv"
        # Litestar adds "; charset=utf-8" to a text/* media type itself; naming it here too doubled it.
        return Response(content=out.getvalue(), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip

    @get("/api/dashboard", include_in_schema=True, tags=["Dasbor"], summary="Angka dasbor (dari, sampai, per)")
    async def api(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        query = parse_query(query_params(request), now().date())
        board = await build_dashboard(query)
        return {"from": query.start.isoformat(), "to": query.end.isoformat(), "per": query.dimension,
                "rows": board.rows, "totals": board.totals, "recounting": board.recounting}  # fmt: skip
