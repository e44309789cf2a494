"""Liveness and readiness for orchestrators and load balancers."""

from __future__ import annotations

from typing import Any

from litestar import Response, get

from forum.db import database_is_reachable


@get("/healthz", include_in_schema=False, cache=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", include_in_schema=False, cache=False)
async def readyz() -> Response[dict[str, Any]]:
    database_ok = await database_is_reachable()
    body = {"status": "ok" if database_ok else "unavailable", "checks": {"database": "ok" if database_ok else "down"}}
    return Response(content=body, status_code=200 if database_ok else 503)
