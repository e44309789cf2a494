"""Search as the app sees it: one service on ``app.state.search`` and the lifespan that runs it.

``search_lifespan`` never blocks start-up on Meilisearch: the worker applies the index settings (retrying
while Meilisearch is down) before it drains the outbox, and pages fall back to a database title search
until the engine answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import anyio
from meilisearch_python_sdk import AsyncClient

from forum.core.background import stop_worker
from forum.core.settings import get_settings
from search.client import create_client
from search.outbox import run_worker
from search.query import SearchRequest, SearchResult, run_search

HEALTH_TIMEOUT_SECONDS = 1.0
WORKER_STOP_TIMEOUT_SECONDS = 10.0


@dataclass(slots=True)
class SearchService:
    client: AsyncClient
    uid: str
    worker: asyncio.Task[None] | None = field(default=None, repr=False)

    async def healthy(self) -> bool:
        """Whether Meilisearch answers /health right now (for /readyz; never raises)."""
        try:
            response = await self.client.http_client.get("health", timeout=HEALTH_TIMEOUT_SECONDS)
        except Exception:  # noqa: BLE001 - unreachable is simply "not healthy"
            return False
        return response.status_code == 200

    async def search(self, request: SearchRequest) -> SearchResult:
        return await run_search(self.client, self.uid, request)


def search_service(app: Any) -> SearchService | None:
    """The app's search service, or None when search is not configured (or the lifespan is not running)."""
    return getattr(app.state, "search", None)


async def search_status(app: Any) -> str:
    """ "ok", "down" (configured but not answering: search runs degraded) or "disabled" (not configured)."""
    service = search_service(app)
    if service is None:
        return "disabled"
    return "ok" if await service.healthy() else "down"


@contextlib.asynccontextmanager
async def search_lifespan(app: Any) -> AsyncIterator[None]:
    """Create the client, start the outbox worker, and stop both cleanly. Put it after the database lifespan
    (Litestar exits lifespans in reverse order, so the worker stops before the pool closes)."""
    settings = get_settings()
    client = create_client(settings)
    if client is None:
        app.state.search = None
        yield
        return
    stop = anyio.Event()
    service = SearchService(client=client, uid=settings.meili_index)
    service.worker = asyncio.create_task(run_worker(client, service.uid, stop), name="search-outbox-worker")
    app.state.search = service
    try:
        yield
    finally:
        app.state.search = None
        # A batch still waiting on Meilisearch when time is up: its rows stay pending, sent after the restart.
        await stop_worker(service.worker, stop, WORKER_STOP_TIMEOUT_SECONDS)
        await client.aclose()
