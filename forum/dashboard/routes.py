"""/dasbor: the monitoring and evaluation view, its CSV export, and the same numbers as JSON."""

from __future__ import annotations

import csv
import io
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.response import Template

from forum.clock import now
from forum.dashboard.service import DIMENSIONS, METRICS, build_dashboard, parse_query
from forum.errors import InvalidInput
from forum.web import page, query_params


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
        writer.writerow([DIMENSIONS[query.dimension], *METRICS.values()])
        for row in board.rows:
            writer.writerow([row["label"], *(row[metric] for metric in METRICS)])
        writer.writerow(["Total", *(board.totals.get(metric, 0) for metric in METRICS)])
        name = f"sinergi-dasbor-{query.dimension}-{query.start}-{query.end}.csv"
        return Response(content=out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip

    @get("/api/dashboard", include_in_schema=True, tags=["Dasbor"], summary="Angka dasbor (dari, sampai, per)")
    async def api(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        query = parse_query(query_params(request), now().date())
        board = await build_dashboard(query)
        return {"from": query.start.isoformat(), "to": query.end.isoformat(), "per": query.dimension,
                "rows": board.rows, "totals": board.totals}  # fmt: skip
