"""Chores that keep tables from growing for ever, run beside the app every HOUSEKEEPING_SECONDS.

Each chore deletes rows nothing reads any more, in one short statement, so a round never holds a lock for
long; a round that fails is logged and tried again next time.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from forum.core import ratelimit
from forum.core.background import repeating_worker
from forum.core.settings import get_settings

logger = logging.getLogger(__name__)


async def run_chores() -> dict[str, int]:
    """One round: how many rows each chore removed."""
    keep = max(ratelimit.KEEP_HITS_SECONDS, get_settings().login_window_seconds)
    removed = {"rate_limit_hits": await ratelimit.prune_old_hits(keep)}
    if any(removed.values()):
        logger.info("housekeeping removed %s", removed)
    return removed


@asynccontextmanager
async def housekeeping_lifespan(app: Any) -> AsyncIterator[None]:
    """The chores, every HOUSEKEEPING_SECONDS (none when 0), stopped before the database closes."""
    async with repeating_worker("housekeeping", get_settings().housekeeping_seconds, run_chores):
        yield
