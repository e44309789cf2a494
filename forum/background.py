"""Background workers that run beside the app (search outbox, dashboard recount): how they are stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import anyio

logger = logging.getLogger(__name__)


async def stop_worker(task: asyncio.Task[None], stop: anyio.Event, timeout_seconds: float) -> None:
    """Ask the worker to stop and give it ``timeout_seconds`` to finish its round; cancel it after that (a
    round cut short rolls back, and what it was doing stays queued for the next start). Never raises."""
    stop.set()
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout_seconds)
    except asyncio.TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    except Exception:  # noqa: BLE001 - never fail shutdown because of a worker
        logger.exception("background worker %s ended with an error", task.get_name())
