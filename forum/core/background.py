"""Background workers that run beside the app (search outbox, dashboard recount): how they are stopped."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio

logger = logging.getLogger(__name__)


async def stop_worker(task: asyncio.Task[None], stop: anyio.Event, timeout_seconds: float) -> None:
    """Ask the worker to stop and give it ``timeout_seconds`` to finish its round; cancel it after that (a
    round cut short rolls back, and what it was doing stays queued for the next start). Never raises."""
    stop.set()
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout_seconds)
    except TimeoutError:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    except Exception:
        logger.exception("background worker %s ended with an error", task.get_name())


async def repeat(round_: Callable[[], Awaitable[Any]], interval: float, stop: anyio.Event, what: str) -> None:
    """Run ``round_`` now and then every ``interval`` seconds until ``stop``; a failed round is logged and the
    next one runs on time."""
    while not stop.is_set():
        try:
            await round_()
        except Exception:
            logger.exception("%s failed", what)
        with anyio.move_on_after(interval):
            await stop.wait()


@asynccontextmanager
async def repeating_worker(
    name: str, interval: float, round_: Callable[[], Awaitable[Any]], stop_timeout: float = 10.0
) -> AsyncIterator[None]:
    """A lifespan body: ``round_`` repeated in the background while the app serves (not at all when
    ``interval`` is 0), stopped before the lifespans after it (the database) close."""
    if interval <= 0:
        yield
        return
    stop = anyio.Event()
    task = asyncio.create_task(repeat(round_, interval, stop, name), name=name)
    try:
        yield
    finally:
        await stop_worker(task, stop, stop_timeout)
