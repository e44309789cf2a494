"""Keeps the dashboard's roll-up current in the background (every DASHBOARD_RECOUNT_SECONDS), so that a view
after a busy minute rarely pays for the recount. Views still recount whatever is left before they read, so
the figures are never stale; this only moves the work off the reader's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from forum.core.background import repeating_worker
from forum.dashboard import tally


@asynccontextmanager
async def recount_lifespan(app: Any) -> AsyncIterator[None]:
    """The background recount, every DASHBOARD_RECOUNT_SECONDS (none when 0)."""
    async with repeating_worker("dashboard recount", app.state.settings.dashboard_recount_seconds, tally.bring_up_to_date):
        yield
