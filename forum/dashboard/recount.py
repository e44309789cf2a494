"""Keeps the dashboard's roll-up current in the background (every DASHBOARD_RECOUNT_SECONDS), so that a view
after a busy minute rarely pays for the recount. Views still recount whatever is left before they read, so
the figures are never stale; this only moves the work off the reader's clock."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio

from forum.background import stop_worker
from forum.dashboard import tally

logger = logging.getLogger(__name__)
STOP_TIMEOUT_SECONDS = 10.0


async def run_recounter(interval: float, stop: anyio.Event) -> None:
    while not stop.is_set():
        try:
            await tally.bring_up_to_date()
        except Exception:  # noqa: BLE001 - a failed round is retried next round (or by the next view)
            logger.exception("dashboard recount failed")
        with anyio.move_on_after(interval):
            await stop.wait()


@asynccontextmanager
async def recount_lifespan(app: Any) -> AsyncIterator[None]:
    """Start the background recount (unless its interval is 0) and stop it before the database closes."""
    interval = app.state.settings.dashboard_recount_seconds
    if interval <= 0:
        yield
        return
    stop = anyio.Event()
    task = asyncio.create_task(run_recounter(interval, stop), name="dashboard-recount")
    try:
        yield
    finally:
        await stop_worker(task, stop, STOP_TIMEOUT_SECONDS)
