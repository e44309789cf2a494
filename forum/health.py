"""Liveness and readiness for orchestrators and load balancers."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from forum.core.db import database_is_reachable


@get("/healthz", include_in_schema=False, cache=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", include_in_schema=False, cache=False)
async def readyz(request: Request[Any, Any, Any]) -> Response[dict[str, Any]]:
    """503 without the database. Without search the forum still serves (title search falls back to the
    database), so it stays ready and says "degraded"."""
    from search.service import search_status  # "ok" | "down" | "disabled"

    database_ok = await database_is_reachable()
    search = await search_status(request.app)
    status = "unavailable" if not database_ok else ("degraded" if search == "down" else "ok")
    body = {"status": status, "checks": {"database": "ok" if database_ok else "down", "search": search}}
    return Response(content=body, status_code=200 if database_ok else 503)
