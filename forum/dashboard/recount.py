"""Keeps the dashboard's roll-up current in the background (every DASHBOARD_RECOUNT_SECONDS). Views only read:
a page view never writes, so a crawler or a crowd on /dasbor cannot queue recounts, and the figures are at
most one round behind (the page says so while a recount is due)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from forum.core.background import repeating_worker
from forum.core.settings import get_settings
from forum.dashboard import tally


@asynccontextmanager
async def recount_lifespan(app: Any) -> AsyncIterator[None]:
    """The background recount, every DASHBOARD_RECOUNT_SECONDS (none when 0)."""
    async with repeating_worker("dashboard recount", get_settings().dashboard_recount_seconds, tally.bring_up_to_date):
        yield
